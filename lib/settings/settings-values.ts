import type { BillingSettings } from "@/lib/db/generated/client";
import { settingsDecimal, type BillingSettingsValues } from "./billing-settings-schema";

/**
 * The editable settings of a row, spelled exactly as BillingSettingsInput outputs them, so stored
 * and submitted values compare as strings.
 */
export function settingsValuesFromRow(row: BillingSettings): BillingSettingsValues {
  return {
    warningThresholdPercent: settingsDecimal(row.warningThresholdPercent),
    notifyOnWarning: row.notifyOnWarning,
    notifyEmails: [...row.notifyEmails],
    autoRechargeEnabled: row.autoRechargeEnabled,
    rechargeAmountCHF: settingsDecimal(row.rechargeAmountCHF),
    rechargeMaxPerMonth: row.rechargeMaxPerMonth,
  };
}
