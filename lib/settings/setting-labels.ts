import type { Locale } from "@/lib/i18n/config";
import { fieldHelp, fieldLabel } from "@/lib/i18n/model-metadata";
import type { EditableSettingsField } from "./billing-settings-schema";

/**
 * Label and help of an editable setting for the form and the change history. They come from the
 * BillingSettings model metadata, except the e-mail language, which is a column of the mandate
 * (Mandate.locale) edited with these settings. Safe in the browser.
 */
const MANDATE_LOCALE = {
  label: { de: "Sprache der E-Mails", en: "E-mail language" },
  help: {
    de: "Sprache der Benachrichtigungen, Belege und Warnungen an diesen Mandanten",
    en: "Language of the notifications, receipts and warnings sent for this mandate",
  },
} as const;

/** The languages by their own names, as the language switch shows them. */
export const LANGUAGE_NAMES: Record<Locale, string> = { de: "Deutsch", en: "English" };

export function settingLabel(field: EditableSettingsField, locale: Locale): string {
  return field === "locale" ? MANDATE_LOCALE.label[locale] : fieldLabel("BillingSettings", field, locale);
}

export function settingHelp(field: EditableSettingsField, locale: Locale): string {
  return field === "locale" ? MANDATE_LOCALE.help[locale] : fieldHelp("BillingSettings", field, locale);
}
