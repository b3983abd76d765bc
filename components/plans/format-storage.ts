import { formatDecimal } from "@/components/settings/format-setting-value";
import type { Locale } from "@/lib/i18n/config";
import { MB_PER_GB } from "@/lib/storage/storage-overage";

/**
 * A plan's included storage as people read it: whole gigabytes in GB (1 GB = 1024 MB, as the
 * storage billing counts), anything else in MB. BigInt keeps the check exact for any size.
 */
export function formatStorage(mb: string, locale: Locale): string {
  // The catalogue sends "1024.00": whole megabytes with a zero fraction.
  const integral = /^(\d+)(\.0*)?$/.exec(mb)?.[1];
  if (integral) {
    const whole = BigInt(integral);
    const perGb = BigInt(MB_PER_GB);
    if (whole > 0n && whole % perGb === 0n) return `${formatDecimal((whole / perGb).toString(), locale)} GB`;
  }
  return `${formatDecimal(mb, locale)} MB`;
}
