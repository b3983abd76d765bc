import type { Locale } from "@/lib/i18n/config";
import { intlLocale } from "@/lib/money/format";
import { BUSINESS_TIME_ZONE } from "@/lib/stats/business-calendar";

// A table formats a date per row; building an Intl.DateTimeFormat costs far more than using one.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Swiss platform: times are shown in Zurich time whatever the server's or browser's zone. */
export function formatDateTime(iso: string, locale: Locale, withTime = true): string {
  const key = `${locale}|${withTime}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(intlLocale(locale), {
      dateStyle: "medium",
      timeStyle: withTime ? "short" : undefined,
      timeZone: BUSINESS_TIME_ZONE,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(iso));
}
