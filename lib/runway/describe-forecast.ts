import { businessDayStart } from "@/lib/dashboard/business-dates";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { getTranslator } from "@/lib/i18n/get-translator";
import { intlLocale } from "@/lib/money/format";
import type { EmptyForecast } from "./project-empty-date";

/** A Zurich calendar day ("2026-05-28") as pages and e-mails write dates ("28.05.2026", "28 May 2026"). */
export function formatRunwayDay(date: string, locale: Locale): string {
  return formatDateTime(businessDayStart(date), locale, false);
}

/** An empty-date forecast in words, the same on the overview and in the warning e-mail. */
export function describeEmptyForecast(forecast: EmptyForecast, locale: Locale): string {
  const t = getTranslator(locale, "billing");
  switch (forecast.kind) {
    case "already-empty":
    case "no-burn":
      return t(`runway.forecast.${forecast.kind}`);
    case "date":
    case "beyond":
      return t(`runway.forecast.${forecast.kind}`, { date: formatRunwayDay(forecast.date, locale) });
  }
}

/** "March 2026" / "März 2026". */
export function formatRunwayMonth(year: number, month: number, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, 15)),
  );
}
