import type { BillingSettings } from "@/lib/db/generated/client";
import { isLocale } from "@/lib/i18n/config";
import { settingsDecimal, type BillingSettingsValues } from "./billing-settings-schema";

/**
 * The editable settings of a row and its mandate's e-mail language, spelled exactly as
 * BillingSettingsInput outputs them, so stored and submitted values compare as strings.
 */
export function settingsValuesFromRow(row: BillingSettings, mandateLocale: string): BillingSettingsValues {
  return {
    warningThresholdPercent: settingsDecimal(row.warningThresholdPercent),
    notifyOnWarning: row.notifyOnWarning,
    notifyEmails: [...row.notifyEmails],
    // The column's CHECK allows only these; "de" is its default.
    locale: isLocale(mandateLocale) ? mandateLocale : "de",
    autoRechargeEnabled: row.autoRechargeEnabled,
    rechargeAmountCHF: settingsDecimal(row.rechargeAmountCHF),
    rechargeMaxPerMonth: row.rechargeMaxPerMonth,
  };
}
