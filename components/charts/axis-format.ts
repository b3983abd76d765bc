import type { Locale } from "@/lib/i18n/config";
import { formatCount, formatNumber } from "@/lib/i18n/format-money";

/**
 * Labels of the value axis. Ticks are positions recharts computes on its float scale, not
 * amounts from the ledger, so a rounded number is the honest label; exact amounts are in the
 * tooltips, tables and summaries. Digits as everywhere else in the language (format-money).
 */
export function axisTickFormatter(locale: Locale): (value: number) => string {
  // Six decimals cover the smallest amount the ledger books; trailing zeros are dropped.
  return (value) => (Number.isFinite(value) ? formatNumber(value.toFixed(6), locale) : "");
}

export function countFormatter(locale: Locale): (value: number) => string {
  return (value) => formatCount(value, locale);
}

/** The unit written at the end of a value axis ("CHF", "Anzahl"), so a bare number is never left to guess. */
export function axisUnit(unit: string, position: "top" | "insideBottomRight") {
  return { value: unit, position, offset: position === "top" ? 12 : -4, fontSize: 12, fill: "var(--muted)" };
}

/** Long category names (users, models) cut for the axis; the table and tooltip carry them whole. */
export function shortCategory(name: string, max = 18): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}
