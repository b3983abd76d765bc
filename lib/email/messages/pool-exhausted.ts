import type { Locale } from "@/lib/i18n/config";
import { formatAmount, renderEmail, type RenderedEmail } from "./render-email";

export interface PoolExhaustedData {
  locale: Locale;
  mandateId: string;
  mandateName: string;
  /** Decimal string (CHF); may be negative. */
  balance: string;
}

/** A billing check was refused for INSUFFICIENT_BALANCE: AI calls stop until a top-up. */
export function poolExhaustedEmail(data: PoolExhaustedData): RenderedEmail {
  return renderEmail({
    kind: "pool-exhausted",
    locale: data.locale,
    subject: "poolExhausted.subject",
    paragraphs: ["poolExhausted.body", "poolExhausted.action"],
    links: [{ label: "common.topUpLink", href: `/mandates/${data.mandateId}/top-up` }],
    values: { mandate: data.mandateName, balance: formatAmount(data.balance, data.locale) },
  });
}
