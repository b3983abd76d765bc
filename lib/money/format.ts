/**
 * Display formatting for amounts, safe in the browser. Intl.NumberFormat formats
 * a decimal string exactly (no float conversion), so "0.000012" stays exact.
 */
export type DisplayLocale = "de" | "en";

const INTL_LOCALE: Record<DisplayLocale, string> = { de: "de-CH", en: "en-CH" };

/** The Intl locale for numbers and dates: Swiss German or Swiss English. */
export function intlLocale(locale: DisplayLocale): string {
  return INTL_LOCALE[locale];
}

/**
 * Formats CHF with two decimals, or up to six when the amount has sub-centime
 * digits, so a 0.000012 CHF AI call is not shown as 0.00.
 */
export function formatMoney(amount: string, locale: DisplayLocale, currency = "CHF"): string {
  const fraction = amount.split(".")[1]?.replace(/0+$/, "") ?? "";
  const digits = Math.min(6, Math.max(2, fraction.length));
  const format = new Intl.NumberFormat(INTL_LOCALE[locale], {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: digits,
  });
  // The string overload is exact (ECMA-402 Intl.NumberFormat v3); the cast is only for older lib typings.
  return format.format(amount as unknown as number);
}
