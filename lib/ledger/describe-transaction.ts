import type { TFunction } from "i18next";
import type { ReferenceType } from "@/lib/db/generated/enums";
import type { Locale } from "@/lib/i18n/config";
import { formatNumber } from "@/lib/i18n/format-money";
import { cardLabel } from "@/lib/payments/card-label";
import { usageDescription } from "./usage-description";
import type { LedgerWording } from "./wording";

/**
 * A transaction's description in the reader's language. Safe in the browser; `t` is the "billing"
 * namespace, its texts under `transactions.describe.*`.
 *
 * The platform's own bookings carry a wording (key and values, lib/ledger/wording.ts), rendered
 * here from those facts; an AI debit booked with the platform's default sentence is rendered from
 * its provider, model and feature; anything else is text a person or the calling platform typed
 * (an admin's reason, a usage event's own description) and is shown as typed.
 */
export interface DescribableTransaction {
  description: string;
  referenceType: ReferenceType | null;
  featureCode: string | null;
  aicoreProvider: string | null;
  aicoreModel: string | null;
  wording: LedgerWording | null;
}

export function describeTransaction(row: DescribableTransaction, locale: Locale, t: TFunction): string {
  if (row.wording) return describeWording(row.wording, locale, t);
  const bookedByDefault =
    row.referenceType === "WORKFLOW" &&
    row.description ===
      usageDescription({ provider: row.aicoreProvider, model: row.aicoreModel, featureCode: row.featureCode });
  return bookedByDefault ? describeUsage(row, t) : row.description;
}

function describeWording(wording: LedgerWording, locale: Locale, t: TFunction): string {
  switch (wording.key) {
    case "topUp":
      return wording.card
        ? t("transactions.describe.topUpByCard", { card: cardLabel(wording.card) })
        : t("transactions.describe.topUp");
    case "autoRecharge":
      return wording.card
        ? t("transactions.describe.autoRechargeByCard", { card: cardLabel(wording.card) })
        : t("transactions.describe.autoRecharge");
    // The Stripe id is the row's reference id; customers are not shown it twice.
    case "refund":
      return t("transactions.describe.refund");
    case "disputeWithdrawn":
      return t("transactions.describe.disputeWithdrawn");
    case "disputeReinstated":
      return t("transactions.describe.disputeReinstated");
    case "welcomeCredit":
      return t("transactions.describe.welcomeCredit");
    case "bankTransfer":
      return t("transactions.describe.bankTransfer");
    case "planBudget":
      return t("transactions.describe.planBudget", {
        plan: locale === "de" ? wording.planNameDe : wording.planNameEn,
      });
    case "storageOverage":
      return t("transactions.describe.storageOverage", {
        from: formatNumber(wording.fromMB, locale),
        to: formatNumber(wording.toMB, locale),
        included: formatNumber(wording.includedMB, locale),
        peak: formatNumber(wording.peakMB, locale),
        period: wording.period,
      });
  }
}

function describeUsage(row: DescribableTransaction, t: TFunction): string {
  const provider = row.aicoreProvider ? t(`providers.${row.aicoreProvider}`, { defaultValue: row.aicoreProvider }) : "";
  const what = [provider, row.aicoreModel].filter(Boolean).join(" ");
  const feature = row.featureCode ? t(`features.${row.featureCode}`, { defaultValue: row.featureCode }) : "";
  return `${t("transactions.describe.usage")}${what ? `: ${what}` : ""}${feature ? ` (${feature})` : ""}`;
}
