import { intlLocale } from "@/lib/money/format";
import type { Locale } from "@/lib/i18n/config";

/**
 * Labels of the value axis. Ticks are positions recharts computes on its float scale, not
 * amounts from the ledger, so a rounded number is the honest label; exact amounts are in the
 * tooltips and summaries (formatMoney).
 */
export function axisTickFormatter(locale: Locale): (value: number) => string {
  const format = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 2, notation: "compact" });
  return (value) => format.format(value);
}

export function countFormatter(locale: Locale): (value: number) => string {
  const format = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 });
  return (value) => format.format(value);
}
