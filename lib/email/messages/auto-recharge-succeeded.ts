import type { Locale } from "@/lib/i18n/config";
import { formatAmount, formatCard, renderEmail, type RenderedEmail } from "./render-email";

export interface AutoRechargeSucceededData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal strings (CHF). */
  amount: string;
  balance: string;
  card: { brand?: string | null; last4?: string | null } | null;
}

export function autoRechargeSucceededEmail(data: AutoRechargeSucceededData): RenderedEmail {
  return renderEmail({
    kind: "auto-recharge-succeeded",
    locale: data.locale,
    subject: "rechargeSucceeded.subject",
    paragraphs: ["rechargeSucceeded.body", "rechargeSucceeded.balance"],
    links: [{ label: "common.paymentsLink", href: `/mandates/${data.mandateId}/payments` }],
    values: {
      mandate: data.mandateName,
      amount: formatAmount(data.amount, data.locale),
      balance: formatAmount(data.balance, data.locale),
      card: formatCard(data.card, data.locale),
    },
  });
}
