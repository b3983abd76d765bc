import type { Locale } from "@/lib/i18n/config";
import { formatAmount, renderEmail, type RenderedEmail } from "./render-email";

export interface SubscriptionEmailData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** The plan's name in the message's language. */
  planName: string;
  /** Decimal strings (CHF): the AI budget credited with the period, and the monthly price. */
  budget: string;
  price: string;
  /** The period's end, already formatted for the reader ("31.01.2027"). */
  periodEnd: string;
}

function subscriptionEmail(
  kind: "subscription-started" | "subscription-renewed" | "subscription-payment-failed" | "subscription-expired",
  key: string,
  paragraphs: string[],
  data: SubscriptionEmailData,
): RenderedEmail {
  return renderEmail({
    kind,
    locale: data.locale,
    subject: `${key}.subject`,
    paragraphs: paragraphs.map((p) => `${key}.${p}`),
    links: [{ label: "common.plansLink", href: `/mandates/${data.mandateId}/plans` }],
    values: {
      mandate: data.mandateName,
      plan: data.planName,
      budget: formatAmount(data.budget, data.locale),
      price: formatAmount(data.price, data.locale),
      periodEnd: data.periodEnd,
    },
  });
}

/** The first paid period of a plan: it runs, and its AI budget was credited. */
export function subscriptionStartedEmail(data: SubscriptionEmailData): RenderedEmail {
  return subscriptionEmail("subscription-started", "subscriptionStarted", ["body", "budget"], data);
}

/** A renewal was paid: the new period's budget was credited (unused budget stays in the pool). */
export function subscriptionRenewedEmail(data: SubscriptionEmailData): RenderedEmail {
  return subscriptionEmail("subscription-renewed", "subscriptionRenewed", ["body", "carryOver"], data);
}

/** A renewal could not be charged: the plan keeps running while Stripe retries (PAST_DUE). */
export function subscriptionPaymentFailedEmail(data: SubscriptionEmailData): RenderedEmail {
  return subscriptionEmail("subscription-payment-failed", "subscriptionPaymentFailed", ["body", "action"], data);
}

/** The plan ended: AI calls are refused until an owner chooses a plan. */
export function subscriptionExpiredEmail(data: SubscriptionEmailData): RenderedEmail {
  return subscriptionEmail("subscription-expired", "subscriptionExpired", ["body", "action"], data);
}
