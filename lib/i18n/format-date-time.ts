import type { Locale } from "@/lib/i18n/config";
import { intlLocale } from "@/lib/money/format";
import { BUSINESS_TIME_ZONE } from "@/lib/stats/business-calendar";

/** Swiss platform: times are shown in Zurich time whatever the server's or browser's zone. */
export function formatDateTime(iso: string, locale: Locale, withTime = true): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeStyle: withTime ? "short" : undefined,
    timeZone: BUSINESS_TIME_ZONE,
  }).format(new Date(iso));
}
