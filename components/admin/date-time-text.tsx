import { intlLocale, type DisplayLocale } from "@/lib/money/format";

/**
 * A timestamp in Swiss time, whatever zone the server runs in: the platform bills in CHF and
 * its people read Zurich time; the exact instant stays in the dateTime attribute.
 */
export function DateTimeText({ value, locale }: { value: Date; locale: DisplayLocale }) {
  const text = new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Zurich",
  }).format(value);
  return <time dateTime={value.toISOString()}>{text}</time>;
}
