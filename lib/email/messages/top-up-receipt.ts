import type { Locale } from "@/lib/i18n/config";
import { formatAmount, formatCard, renderEmail, type RenderedEmail } from "./render-email";

export interface TopUpReceiptData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal string (CHF). */
  amount: string;
  card: { brand?: string | null; last4?: string | null } | null;
  /** Stripe's receipt page, when Stripe gave one. */
  receiptUrl: string | null;
}

export function topUpReceiptEmail(data: TopUpReceiptData): RenderedEmail {
  return renderEmail({
    kind: "top-up-receipt",
    locale: data.locale,
    subject: "topUpReceipt.subject",
    paragraphs: ["topUpReceipt.body"],
    links: [
      ...(data.receiptUrl ? [{ label: "topUpReceipt.receiptLink", href: data.receiptUrl }] : []),
      { label: "common.paymentsLink", href: `/mandates/${data.mandateId}/payments` },
    ],
    values: {
      mandate: data.mandateName,
      amount: formatAmount(data.amount, data.locale),
      card: formatCard(data.card, data.locale),
    },
  });
}
