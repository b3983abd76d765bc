import type { BillingSettings } from "@/lib/db/generated/client";
import { toMoneyString } from "@/lib/money/money";
import { canonicalDecimal, type BillingSettingsValues } from "./billing-settings-schema";

/** A stored decimal in the schema's canonical spelling, so stored and submitted values compare as strings. */
export function canonicalStoredDecimal(value: BillingSettings["rechargeAmountCHF"]): string {
  return canonicalDecimal(toMoneyString(value));
}

/** The editable settings of a row, spelled exactly as BillingSettingsInput outputs them. */
export function settingsValuesFromRow(row: BillingSettings): BillingSettingsValues {
  return {
    warningThresholdPercent: canonicalStoredDecimal(row.warningThresholdPercent),
    notifyOnWarning: row.notifyOnWarning,
    notifyEmails: [...row.notifyEmails],
    autoRechargeEnabled: row.autoRechargeEnabled,
    rechargeAmountCHF: canonicalStoredDecimal(row.rechargeAmountCHF),
    rechargeMaxPerMonth: row.rechargeMaxPerMonth,
  };
}
