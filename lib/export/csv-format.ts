import type { CsvSeparator } from "./csv";
import type { Locale } from "@/lib/i18n/config";

/**
 * How a CSV file is written for the reader's spreadsheet. Excel opens a double-clicked .csv with
 * the system's regional settings: their list separator splits the fields and their decimal
 * symbol decides whether "12.5" is a number or text. Safe in the browser.
 *
 * - English UI: commas, decimal point (RFC 4180; every en-* Excel and every script reads it).
 * - German UI: semicolons, because every German-language Windows has ";" as list separator (a
 *   comma is its decimal symbol in Germany and Austria). The decimal symbol differs by country:
 *   Switzerland and Liechtenstein (de-CH, de-LI) use "." (with "'" for thousands, which we never
 *   write), Germany, Austria, Luxembourg, Belgium and South Tyrol use ",". The browser's
 *   Accept-Language region tells which (it follows the system's region on Windows and macOS);
 *   without one we write ".", as the product's customers are Swiss and pay in CHF.
 * Every file starts with a UTF-8 BOM: without it Excel reads UTF-8 as the legacy code page
 * ("Zoë" becomes "ZoÃ«").
 */
export interface CsvFormat {
  /** The header's language. */
  locale: Locale;
  separator: CsvSeparator;
  decimalSeparator: "." | ",";
}

/** German-speaking regions whose decimal symbol is a comma (all but CH and LI). */
const COMMA_DECIMAL_REGIONS = new Set(["DE", "AT", "LU", "BE", "IT"]);

export function csvFormatFor(locale: Locale, acceptLanguage?: string | null): CsvFormat {
  if (locale === "en") return { locale, separator: ",", decimalSeparator: "." };
  return { locale, separator: ";", decimalSeparator: germanRegionUsesComma(acceptLanguage) ? "," : "." };
}

/** The region of the first German tag in Accept-Language ("de-DE,de;q=0.9" → DE). */
function germanRegionUsesComma(acceptLanguage: string | null | undefined): boolean {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const match = /^\s*de(?:-([a-z]{2}))?\b/i.exec(part);
    if (match) return match[1] !== undefined && COMMA_DECIMAL_REGIONS.has(match[1].toUpperCase());
  }
  return false;
}
