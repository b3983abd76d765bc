import { formatDecimal } from "@/components/settings/format-setting-value";
import type { Locale } from "@/lib/i18n/config";
import { MB_PER_GB } from "@/lib/storage/storage-overage";

/**
 * A plan's included storage as people read it: whole gigabytes in GB (1 GB = 1024 MB, as the
 * storage billing counts), anything else in MB. BigInt keeps the check exact for any size.
 */
export function formatStorage(mb: string, locale: Locale): string {
  if (/^\d+$/.test(mb)) {
    const whole = BigInt(mb);
    const perGb = BigInt(MB_PER_GB);
    if (whole > 0n && whole % perGb === 0n) return `${formatDecimal((whole / perGb).toString(), locale)} GB`;
  }
  return `${formatDecimal(mb, locale)} MB`;
}
