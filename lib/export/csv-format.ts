import type { CsvSeparator } from "./csv";
import type { Locale } from "@/lib/i18n/config";

/**
 * How a CSV file is written for the reader: in the language of the UI, values as the dashboard
 * shows them (one number format per language, lib/i18n/format-money). Safe in the browser.
 *
 * - English UI: commas (RFC 4180); a grouped amount ("1,408.30") is quoted, which every
 *   spreadsheet reads as one number.
 * - German UI: semicolons, the list separator of every German-language Windows, so Swiss Excel
 *   splits the fields on a double click; amounts as de-CH writes them ("1'408.30").
 * Every file starts with a UTF-8 BOM: without it Excel reads UTF-8 as the legacy code page
 * ("Zoë" becomes "ZoÃ«").
 */
export interface CsvFormat {
  /** The language of the header and the values. */
  locale: Locale;
  separator: CsvSeparator;
}

export function csvFormatFor(locale: Locale): CsvFormat {
  return { locale, separator: locale === "en" ? "," : ";" };
}
