import type { Locale } from "@/lib/i18n/config";
import { formatAmount, formatCard, renderEmail, type RenderedEmail } from "./render-email";

/** Why Stripe refused the off-session charge; anything else is "other". */
export type RechargeFailureReason = "declined" | "authentication_required" | "other";

export interface AutoRechargeFailedData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal string (CHF). */
  amount: string;
  card: { brand?: string | null; last4?: string | null } | null;
  reason: RechargeFailureReason;
  /** Set when this failure switched auto-recharge off (the third in a row). */
  switchedOffAfter?: number;
}

/**
 * Says what to do: a declined card needs another card, a bank that wants authentication needs
 * the owner to pay on-session on the top-up page. Nothing is retried automatically.
 */
export function autoRechargeFailedEmail(data: AutoRechargeFailedData): RenderedEmail {
  const switchedOff = data.switchedOffAfter !== undefined;
  return renderEmail({
    kind: "auto-recharge-failed",
    locale: data.locale,
    subject: switchedOff ? "rechargeFailed.subjectSwitchedOff" : "rechargeFailed.subject",
    paragraphs: [
      "rechargeFailed.body",
      `rechargeFailed.reason.${data.reason}`,
      ...(switchedOff ? ["rechargeFailed.switchedOff"] : ["rechargeFailed.noRetry"]),
    ],
    links: [
      { label: "common.topUpLink", href: `/mandates/${data.mandateId}/top-up` },
      ...(switchedOff ? [{ label: "common.settingsLink", href: `/mandates/${data.mandateId}/settings` }] : []),
    ],
    values: {
      mandate: data.mandateName,
      amount: formatAmount(data.amount, data.locale),
      card: formatCard(data.card, data.locale),
      count: data.switchedOffAfter ?? 0,
    },
  });
}
