import type { Locale } from "@/lib/i18n/config";
import { formatAmount, renderEmail, type RenderedEmail } from "./render-email";

export interface RefundBookedData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal string (CHF), positive: what left the pool. */
  amount: string;
}

export function refundBookedEmail(data: RefundBookedData): RenderedEmail {
  return renderEmail({
    kind: "refund-booked",
    locale: data.locale,
    subject: "refundBooked.subject",
    paragraphs: ["refundBooked.body"],
    links: [{ label: "common.paymentsLink", href: `/mandates/${data.mandateId}/payments` }],
    values: { mandate: data.mandateName, amount: formatAmount(data.amount, data.locale) },
  });
}
