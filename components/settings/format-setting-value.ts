import type { Locale } from "@/lib/i18n/config";
import { formatNumber } from "@/lib/i18n/format-money";
import { formatMoney } from "@/lib/money/format";
import type { EditableSettingsField, SettingsValue } from "@/lib/settings/billing-settings-schema";
import { isLocale } from "@/lib/i18n/config";
import { LANGUAGE_NAMES } from "@/lib/settings/setting-labels";

/** A decimal string for display, exactly, in the language's one number format ("1'536.5", "1,536.5"). */
export function formatDecimal(value: string, locale: Locale, minimumFractionDigits = 0): string {
  return formatNumber(value, locale, minimumFractionDigits);
}

export interface ValueWords {
  yes: string;
  no: string;
  none: string;
}

/** One settings value as the history and the form's hints show it. */
export function formatSettingValue(
  field: EditableSettingsField,
  value: SettingsValue,
  locale: Locale,
  words: ValueWords,
): string {
  if (typeof value === "boolean") return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.length === 0 ? words.none : value.join(", ");
  if (typeof value === "number") return String(value);
  switch (field) {
    case "rechargeAmountCHF":
      return formatMoney(value, locale);
    case "warningThresholdPercent":
      return `${formatDecimal(value, locale, 2)} %`;
    case "locale":
      return isLocale(value) ? LANGUAGE_NAMES[value] : value;
    case "notifyOnWarning":
    case "notifyEmails":
    case "autoRechargeEnabled":
    case "rechargeMaxPerMonth":
      return value;
  }
}
