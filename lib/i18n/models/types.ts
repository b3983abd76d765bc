import type { Locale } from "../config";

export type Localized = Record<Locale, string>;

export interface FieldMetadata {
  label: Localized;
  help: Localized;
}

export interface ModelMetadata<Field extends string> {
  label: Localized;
  fields: Record<Field, FieldMetadata>;
}

/** Shorthand for the tables below: [de label, en label, de help, en help]. */
export function field(deLabel: string, enLabel: string, deHelp: string, enHelp: string): FieldMetadata {
  return { label: { de: deLabel, en: enLabel }, help: { de: deHelp, en: enHelp } };
}
