import type { Locale } from "@/lib/i18n/config";
import { formatAmount, renderEmail, type RenderedEmail } from "./render-email";

export interface DisputeFundsData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal string (CHF), positive. */
  amount: string;
}

/** Stripe withdrew a disputed payment's funds: taken off the pool. */
export function disputeFundsWithdrawnEmail(data: DisputeFundsData): RenderedEmail {
  return disputeEmail("dispute-funds-withdrawn", "disputeWithdrawn", data);
}

/** A dispute was won: the funds came back to the pool. */
export function disputeFundsReinstatedEmail(data: DisputeFundsData): RenderedEmail {
  return disputeEmail("dispute-funds-reinstated", "disputeReinstated", data);
}

function disputeEmail(
  kind: "dispute-funds-withdrawn" | "dispute-funds-reinstated",
  keys: string,
  data: DisputeFundsData,
): RenderedEmail {
  return renderEmail({
    kind,
    locale: data.locale,
    subject: `${keys}.subject`,
    paragraphs: [`${keys}.body`],
    links: [{ label: "common.paymentsLink", href: `/mandates/${data.mandateId}/payments` }],
    values: { mandate: data.mandateName, amount: formatAmount(data.amount, data.locale) },
  });
}
