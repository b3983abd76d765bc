import { formatAmount, type NumberLocale } from "@/lib/i18n/format-money";

/**
 * Money as the UI, e-mails and the seed's log show it. The digits come from lib/i18n/format-money,
 * the one number format per language (German as de-CH `CHF 1'408.30`, English `CHF 1,408.30`),
 * so an amount reads the same on every page and in every message. Safe in the browser.
 */
export type DisplayLocale = NumberLocale;

const INTL_LOCALE: Record<DisplayLocale, string> = { de: "de-CH", en: "en-CH" };

/** The Intl locale for dates: Swiss German or Swiss English (numbers never go through Intl). */
export function intlLocale(locale: DisplayLocale): string {
  return INTL_LOCALE[locale];
}

/**
 * CHF with two decimals, or up to six when the amount has sub-centime digits, so a 0.000012 CHF
 * AI call is not shown as 0.00; `decimals` fixes them instead (a column's, so the points line up).
 */
export function formatMoney(amount: string, locale: DisplayLocale, currency = "CHF", decimals?: number): string {
  return formatAmount(amount, locale, { currency, decimals });
}
