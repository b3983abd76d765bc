import { z } from "zod";
import type { FormState } from "@/lib/forms/form-state";
import { LOCALES } from "@/lib/i18n/config";
import type { FormValues } from "@/lib/forms/read-form";
import { compare, readDecimal, toPlainString } from "@/lib/money/money";
import { emailAddress } from "@/lib/users/email-address";

/**
 * The editable billing settings of a mandate: one schema for the settings form, its server
 * action, the domain function and (later) the API docs. Safe in the browser: no server imports,
 * and amounts are read and compared by lib/money, never as JavaScript numbers.
 *
 * Zod messages are not prose but codes of `billing:settings.validation.<code>`, so the form can
 * show each error in the reader's language (with the bounds below interpolated).
 */

export const SETTINGS_LIMITS = {
  warningThresholdPercent: { min: "0", max: "100" },
  rechargeAmountCHF: { min: "10", max: "1000" },
  rechargeMaxPerMonth: { min: 0, max: 31 },
  notifyEmails: { max: 20 },
} as const;

/** Field order of the form, the diff and the change history. */
export const EDITABLE_SETTINGS_FIELDS = [
  "warningThresholdPercent",
  "notifyOnWarning",
  "notifyEmails",
  // The mandate's e-mail language (stored on the mandate, edited and recorded with these settings).
  "locale",
  "autoRechargeEnabled",
  "rechargeAmountCHF",
  "rechargeMaxPerMonth",
] as const;
export type EditableSettingsField = (typeof EDITABLE_SETTINGS_FIELDS)[number];

export const SETTINGS_VALIDATION_CODES = [
  "percent",
  "rechargeAmount",
  "rechargeMax",
  "email",
  "tooManyEmails",
  "noSavedCard",
  "invalid",
] as const;
export type SettingsValidationCode = (typeof SETTINGS_VALIDATION_CODES)[number];

/**
 * The one spelling of a setting's decimal that the diff compares and the history stores: no leading
 * zeros, trailing zeros dropped but at least two decimals ("007.5" → "7.50", "50.000000" → "50.00").
 */
export function settingsDecimal(value: Parameters<typeof toPlainString>[0]): string {
  return toPlainString(value, 2);
}

/**
 * Unsigned, at most two decimals, within the bounds; every failure is the field's one code. Twelve
 * integer digits keep absurd input short before the bound check.
 */
function boundedDecimal(bounds: { min: string; max: string }, code: SettingsValidationCode) {
  return z
    .string({ error: code })
    .trim()
    .refine(
      (value) => {
        const read = readDecimal(value, { maxDecimals: 2, maxIntegerDigits: 12 });
        return read.ok && compare(read.amount, bounds.min) >= 0 && compare(read.amount, bounds.max) <= 0;
      },
      { error: code },
    )
    .transform(settingsDecimal);
}

const { min: MIN_RECHARGES, max: MAX_RECHARGES } = SETTINGS_LIMITS.rechargeMaxPerMonth;

export const BillingSettingsInput = z.object({
  warningThresholdPercent: boundedDecimal(SETTINGS_LIMITS.warningThresholdPercent, "percent"),
  notifyOnWarning: z.boolean({ error: "invalid" }),
  notifyEmails: z
    .array(emailAddress(), { error: "invalid" })
    // Once each: normalised, "A@x.ch" and "a@x.ch" are one mailbox.
    .transform((emails) => [...new Set(emails)])
    .refine((emails) => emails.length <= SETTINGS_LIMITS.notifyEmails.max, { error: "tooManyEmails" }),
  // A string in, a language out: the form sends the select's value.
  locale: z.string({ error: "invalid" }).pipe(z.enum(LOCALES, { error: "invalid" })),
  autoRechargeEnabled: z.boolean({ error: "invalid" }),
  rechargeAmountCHF: boundedDecimal(SETTINGS_LIMITS.rechargeAmountCHF, "rechargeAmount"),
  // A count, not an amount: a JSON integer from the API, a digit string from the form.
  rechargeMaxPerMonth: z
    .union(
      [
        z.int(),
        z
          .string()
          .trim()
          .regex(/^\d{1,3}$/)
          .transform(Number),
      ],
      { error: "rechargeMax" },
    )
    .pipe(z.int().min(MIN_RECHARGES, { error: "rechargeMax" }).max(MAX_RECHARGES, { error: "rechargeMax" })),
});

/**
 * The settingsVersion a form was loaded with (a hidden field; a JSON integer from an API), for the
 * stale-form check in updateBillingSettings.
 */
export const SettingsVersion = z
  .union(
    [
      z.int(),
      z
        .string()
        .trim()
        .regex(/^\d{1,9}$/)
        .transform(Number),
    ],
    { error: "invalid" },
  )
  .pipe(z.int().min(0, { error: "invalid" }));

/** A save: the settings and the version they were edited from. */
export const SaveBillingSettingsInput = BillingSettingsInput.extend({ settingsVersion: SettingsVersion });

/** What a caller may send (form strings or API JSON). */
export type BillingSettingsInput = z.input<typeof BillingSettingsInput>;
/** Validated and canonical: decimal strings with two or more decimals, lower-cased unique e-mails. */
export type BillingSettingsValues = z.output<typeof BillingSettingsInput>;
export type SettingsValue = BillingSettingsValues[EditableSettingsField];

/** The settings form's fields (lib/forms/read-form.ts); notifyEmails is one address per line. */
export const BILLING_SETTINGS_FORM_FIELDS = {
  warningThresholdPercent: "",
  notifyOnWarning: false,
  notifyEmails: "",
  locale: "",
  autoRechargeEnabled: false,
  rechargeAmountCHF: "",
  rechargeMaxPerMonth: "",
} as const;

/** The form's raw entries, kept to re-fill the form after a rejected save. */
export type BillingSettingsFormValues = FormValues<typeof BILLING_SETTINGS_FORM_FIELDS>;

function splitEmailList(value: string): string[] {
  return value
    .split(/[\n\r,;]+/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export function formValuesToInput(values: BillingSettingsFormValues): BillingSettingsInput {
  return { ...values, notifyEmails: splitEmailList(values.notifyEmails) };
}

export function valuesToFormValues(values: BillingSettingsValues): BillingSettingsFormValues {
  return {
    ...values,
    notifyEmails: values.notifyEmails.join("\n"),
    rechargeMaxPerMonth: String(values.rechargeMaxPerMonth),
  };
}

/** What the save action answers: how many fields changed, or the error with the entries to re-show. */
export type BillingSettingsFormState = FormState<BillingSettingsFormValues, { changed: number }>;
