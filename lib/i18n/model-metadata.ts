import type { Locale } from "./config";
import { BILLING_ACCOUNT } from "./models/billing-account";
import { BILLING_SETTINGS } from "./models/billing-settings";
import { BILLING_TRANSACTION } from "./models/billing-transaction";
import { ENUM_LABELS } from "./models/enums";
import { PAYMENT } from "./models/payment";
import { USAGE_STATISTICS } from "./models/usage-statistics";

/**
 * One source for what the data model is called in the UI: table headers, form labels, chart
 * legends and the CSV header all read these, so a label changes in one place. German labels are
 * the seed's (datamodelBilling.py); every scalar field of the Prisma model must have one in each
 * language (the compiler checks the keys, model-metadata.test.ts the texts). Safe in the browser.
 */
export const MODEL_METADATA = {
  BillingAccount: BILLING_ACCOUNT,
  BillingTransaction: BILLING_TRANSACTION,
  BillingSettings: BILLING_SETTINGS,
  UsageStatistics: USAGE_STATISTICS,
  Payment: PAYMENT,
};

export type ModelName = keyof typeof MODEL_METADATA;
export type FieldName<M extends ModelName> = keyof (typeof MODEL_METADATA)[M]["fields"] & string;
export type EnumName = keyof typeof ENUM_LABELS;
export type EnumValue<E extends EnumName> = keyof (typeof ENUM_LABELS)[E] & string;

export function fieldLabel<M extends ModelName>(model: M, fieldName: FieldName<M>, locale: Locale): string {
  return fieldMetadata(model, fieldName).label[locale];
}

export function fieldHelp<M extends ModelName>(model: M, fieldName: FieldName<M>, locale: Locale): string {
  return fieldMetadata(model, fieldName).help[locale];
}

export function enumLabel<E extends EnumName>(enumName: E, value: EnumValue<E>, locale: Locale): string {
  const labels: Record<string, Record<Locale, string>> = ENUM_LABELS[enumName];
  return labels[value]?.[locale] ?? value;
}

function fieldMetadata<M extends ModelName>(model: M, fieldName: FieldName<M>) {
  // Widened once here: TypeScript cannot index a union of field records by a correlated key.
  const fields: Record<string, { label: Record<Locale, string>; help: Record<Locale, string> }> =
    MODEL_METADATA[model].fields;
  const meta = fields[fieldName];
  if (!meta) throw new Error(`no metadata for ${model}.${fieldName}`);
  return meta;
}
