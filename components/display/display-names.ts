import type { TFunction } from "i18next";
import type { PeriodType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { intlLocale } from "@/lib/money/format";
import { YEARS_SHOWN } from "@/lib/stats/business-calendar";

/**
 * How provider ids, feature codes and statistics periods read in the UI. Ids the locale files do
 * not know (a provider added later) show as they are rather than as a missing-key path. Safe in
 * the browser and on the server; `t` is the "billing" namespace.
 */
export function providerName(t: TFunction, provider: string): string {
  return t(`providers.${provider}`, { defaultValue: provider });
}

export function featureName(t: TFunction, feature: string): string {
  return t(`features.${feature}`, { defaultValue: feature });
}

/** A language-neutral period label of the statistics ("2026-11-03", "2026-11", "2026") for chart axes. */
export function periodLabel(label: string, period: PeriodType, locale: Locale): string {
  const [year, month, day] = label.split("-").map(Number);
  if (period === "YEAR" || year === undefined) return label;
  // Noon UTC of that date, formatted in UTC: the calendar date itself, in no one's time zone.
  const date = new Date(Date.UTC(year, (month ?? 1) - 1, day ?? 1, 12));
  const options: Intl.DateTimeFormatOptions =
    period === "DAY" ? { day: "numeric", month: "short", timeZone: "UTC" } : { month: "short", timeZone: "UTC" };
  return new Intl.DateTimeFormat(intlLocale(locale), options).format(date);
}

/** The viewed period as a heading: "November 2026", "2026", "2022–2026". */
export function periodTitle(
  period: PeriodType,
  year: number,
  month: number | null,
  locale: Locale,
  years = YEARS_SHOWN,
): string {
  if (period === "YEAR") return `${year - years + 1}–${year}`;
  if (period === "MONTH") return String(year);
  return monthTitle(year, month ?? 1, locale);
}

export function monthTitle(year: number, month: number, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, 15)),
  );
}
