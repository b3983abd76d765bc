import type { Locale } from "@/lib/i18n/config";
import { formatAmount, renderEmail, type RenderedEmail } from "./render-email";

export interface LowBalanceWarningData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal strings (CHF). */
  balance: string;
  threshold: string;
}

/** The pool fell below the warning threshold (sent once per crossing). */
export function lowBalanceWarningEmail(data: LowBalanceWarningData): RenderedEmail {
  return renderEmail({
    kind: "low-balance-warning",
    locale: data.locale,
    subject: "lowBalance.subject",
    paragraphs: ["lowBalance.body", "lowBalance.action"],
    links: [{ label: "common.topUpLink", href: `/mandates/${data.mandateId}/top-up` }],
    values: {
      mandate: data.mandateName,
      balance: formatAmount(data.balance, data.locale),
      threshold: formatAmount(data.threshold, data.locale),
    },
  });
}
