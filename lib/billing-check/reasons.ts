/**
 * Why the billing check said no. Stable, machine-readable API values (add, never rename);
 * the gateway shows `message` to the person, the dashboard translates `billingCheck.<reason>`.
 */
export const BILLING_CHECK_REASONS = [
  "ACCOUNT_DISABLED",
  "INSUFFICIENT_BALANCE",
  // The mandate has no operative subscription (none, PENDING, SCHEDULED or EXPIRED) and the
  // platform requires one (SUBSCRIPTION_REQUIRED).
  "NO_ACTIVE_SUBSCRIPTION",
  "PROVIDER_NOT_ALLOWED",
  "USER_NOT_MEMBER",
] as const;
export type BillingCheckReason = (typeof BILLING_CHECK_REASONS)[number];

/** What the person behind the AI call can do about a refusal. */
export const USER_ACTIONS = ["TOP_UP_SELF", "CONTACT_MANDATE_ADMIN", "CHOOSE_PLAN", "CONTACT_MANDATE_OWNER"] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export type MessageLocale = "en" | "de";

const MESSAGES: Record<BillingCheckReason, Record<MessageLocale, string>> = {
  ACCOUNT_DISABLED: {
    en: "AI billing is disabled for this mandate.",
    de: "Die AI-Abrechnung ist für diesen Mandanten deaktiviert.",
  },
  INSUFFICIENT_BALANCE: {
    en: "The AI budget of this mandate is too low for this request.",
    de: "Das AI-Guthaben dieses Mandanten reicht für diese Anfrage nicht aus.",
  },
  NO_ACTIVE_SUBSCRIPTION: {
    en: "This mandate has no active subscription. An owner of the mandate can choose a plan.",
    de: "Dieser Mandant hat kein aktives Abonnement. Eine Inhaberin oder ein Inhaber des Mandanten kann einen Plan wählen.",
  },
  PROVIDER_NOT_ALLOWED: {
    en: "This AI provider is not enabled for this mandate.",
    de: "Dieser AI-Anbieter ist für diesen Mandanten nicht freigegeben.",
  },
  USER_NOT_MEMBER: {
    en: "This user does not belong to the mandate.",
    de: "Dieser Benutzer gehört nicht zum Mandanten.",
  },
};

export function billingCheckMessage(reason: BillingCheckReason, locale: MessageLocale = "en"): string {
  return MESSAGES[reason][locale];
}
