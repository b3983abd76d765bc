import type { TFunction } from "i18next";
import type { ReferenceType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { formatNumber } from "@/lib/i18n/format-money";
import { cardLabel } from "@/lib/payments/card-label";

/**
 * A transaction's description in the reader's language, rendered from its data. Safe in the
 * browser; `t` is the "billing" namespace, its texts under `transactions.describe.*`.
 *
 * The ledger is append-only, so rows keep the English sentence they were booked with, and some
 * facts live only in it (the card of a top-up, the megabytes of a storage debit). The sentences
 * the platform writes itself are therefore recognised by their reference type and their fixed
 * English form (the exact text of book-usage, fulfil-checkout, settle-recharge, book-refunds,
 * book-dispute, period-credit, storage-overage and the demo seed) and rendered anew; anything
 * else is text a person or the calling platform typed (an admin's reason, a usage event's own
 * description) and is shown as typed.
 */
export interface DescribableTransaction {
  description: string;
  referenceType: ReferenceType | null;
  featureCode: string | null;
  aicoreProvider: string | null;
  aicoreModel: string | null;
}

type Render = (match: RegExpExecArray, locale: Locale, t: TFunction) => string;

/** "1,536.5" as storage-overage.ts writes megabytes → the reader's grouping. */
const mb = (written: string | undefined, locale: Locale) => formatNumber((written ?? "0").replace(/,/g, ""), locale);

const card = (brand: string | undefined, last4: string | undefined) => cardLabel({ brand, last4 }) ?? "";

/** The platform's own sentences per reference type; first match wins. */
const SENTENCES: Partial<Record<ReferenceType, [RegExp, Render][]>> = {
  PAYMENT: [
    [/^Top-up$/, (_m, _l, t) => t("transactions.describe.topUp")],
    [
      /^Top-up by card (?:(\S+) )?•••• (\d{4})$/,
      (m, _l, t) => t("transactions.describe.topUpByCard", { card: card(m[1], m[2]) }),
    ],
    [/^Automatic recharge$/, (_m, _l, t) => t("transactions.describe.autoRecharge")],
    [
      /^Automatic recharge by card (?:(\S+) )?•••• (\d{4})$/,
      (m, _l, t) => t("transactions.describe.autoRechargeByCard", { card: card(m[1], m[2]) }),
    ],
    // The Stripe id in parentheses is the row's reference id; customers are not shown it twice.
    [/^Refund of a top-up \(\S+\)$/, (_m, _l, t) => t("transactions.describe.refund")],
    [/^Disputed top-up: funds withdrawn \(\S+\)$/, (_m, _l, t) => t("transactions.describe.disputeWithdrawn")],
    [/^Dispute won: funds reinstated \(\S+\)$/, (_m, _l, t) => t("transactions.describe.disputeReinstated")],
  ],
  SYSTEM: [
    [/^Welcome credit$/, (_m, _l, t) => t("transactions.describe.welcomeCredit")],
    [/^Top-up by bank transfer$/, (_m, _l, t) => t("transactions.describe.bankTransfer")],
  ],
  SUBSCRIPTION: [[/^AI budget of plan (.+)$/, (m, _l, t) => t("transactions.describe.planBudget", { plan: m[1] })]],
  STORAGE: [
    [
      /^Storage overage (\S+) MB → (\S+) MB above (\S+) MB included \(peak (\S+) MB, period (\S+)\)$/,
      (m, locale, t) =>
        t("transactions.describe.storageOverage", {
          from: mb(m[1], locale),
          to: mb(m[2], locale),
          included: mb(m[3], locale),
          peak: mb(m[4], locale),
          period: m[5],
        }),
    ],
  ],
};

/** The sentence book-usage.ts writes when the event brings no description of its own. */
export function usageSentence(row: Pick<DescribableTransaction, "aicoreProvider" | "aicoreModel" | "featureCode">) {
  const what = [row.aicoreProvider, row.aicoreModel].filter(Boolean).join(" ");
  return `AI usage${what ? `: ${what}` : ""}${row.featureCode ? ` (${row.featureCode})` : ""}`;
}

function describeUsage(row: DescribableTransaction, t: TFunction): string {
  const provider = row.aicoreProvider ? t(`providers.${row.aicoreProvider}`, { defaultValue: row.aicoreProvider }) : "";
  const what = [provider, row.aicoreModel].filter(Boolean).join(" ");
  const feature = row.featureCode ? t(`features.${row.featureCode}`, { defaultValue: row.featureCode }) : "";
  return `${t("transactions.describe.usage")}${what ? `: ${what}` : ""}${feature ? ` (${feature})` : ""}`;
}

export function describeTransaction(row: DescribableTransaction, locale: Locale, t: TFunction): string {
  if (row.referenceType === "WORKFLOW") {
    return row.description === usageSentence(row) ? describeUsage(row, t) : row.description;
  }
  for (const [pattern, render] of (row.referenceType && SENTENCES[row.referenceType]) || []) {
    const match = pattern.exec(row.description);
    if (match) return render(match, locale, t);
  }
  return row.description;
}
