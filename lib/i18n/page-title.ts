import type { Locale } from "./config";
import { getTranslator } from "./get-translator";

/** The pages that carry a title of their own (common.json → titles). */
export type PageTitleKey =
  | "start"
  | "signIn"
  | "forgotPassword"
  | "resetPassword"
  | "notFound"
  | "account"
  | "mandates"
  | "overview"
  | "transactions"
  | "statistics"
  | "plans"
  | "payments"
  | "topUp"
  | "topUpSuccess"
  | "topUpCancelled"
  | "settings"
  | "members"
  | "admin"
  | "adminMandate"
  | "apiKeys"
  | "plansCatalogue"
  | "outbox"
  | "reconciliation";

/**
 * A browser tab's title, most specific first so that many open tabs still tell apart:
 * "Transaktionen · Demo AG · AI Billing". The mandate is named only where the viewer may see it.
 */
export function pageTitle(locale: Locale, key: PageTitleKey, mandateName?: string | null): string {
  const t = getTranslator(locale);
  return [t(`titles.${key}`), mandateName, t("appName")].filter(Boolean).join(" · ");
}
