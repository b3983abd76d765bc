import { formatDateTime } from "@/lib/i18n/format-date-time";
import type { DisplayLocale } from "@/lib/money/format";

/**
 * A timestamp in Swiss time, whatever zone the server runs in: the platform bills in CHF and
 * its people read Zurich time; the exact instant stays in the dateTime attribute.
 */
export function DateTimeText({ value, locale }: { value: Date; locale: DisplayLocale }) {
  const iso = value.toISOString();
  return <time dateTime={iso}>{formatDateTime(iso, locale)}</time>;
}
