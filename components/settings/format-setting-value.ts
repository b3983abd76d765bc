import type { Locale } from "@/lib/i18n/config";
import { formatMoney, intlLocale } from "@/lib/money/format";
import type { EditableSettingsField, SettingsValue } from "@/lib/settings/billing-settings-schema";
import { isLocale } from "@/lib/i18n/config";
import { LANGUAGE_NAMES } from "@/lib/settings/setting-labels";

/** A decimal string for display, exactly (Intl formats the string, no float in between). */
export function formatDecimal(value: string, locale: Locale, minimumFractionDigits = 0): string {
  const format = new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits, maximumFractionDigits: 6 });
  // The string overload is exact (ECMA-402 Intl.NumberFormat v3); the cast is only for older lib typings.
  return format.format(value as unknown as number);
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
