/**
 * RFC 4180 CSV for spreadsheet users: comma or semicolon separated (csv-format.ts), CRLF line
 * ends, a field quoted when it holds the file's separator, a quote, CR or LF, quotes doubled
 * inside. Only then: a German amount "12,5" in a semicolon file stays unquoted. Safe in the browser.
 */

/** Excel reads a UTF-8 file as the legacy code page unless it starts with a byte order mark. */
export const CSV_BOM = "\uFEFF";
const CSV_LINE_END = "\r\n";

export type CsvValue = string | number | null;

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection), so free
 * text is prefixed with an apostrophe, which they show as text. Only free-text columns get this:
 * numbers and amounts ("-7.000000") must stay exact and machine-readable.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvSeparator = "," | ";";

const NEEDS_QUOTES: Record<CsvSeparator, RegExp> = { ",": /[",\r\n]/, ";": /[";\r\n]/ };

export function csvField(value: CsvValue, opts: { text?: boolean; separator?: CsvSeparator } = {}): string {
  if (value === null) return "";
  let text = String(value);
  if (opts.text && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES[opts.separator ?? ","].test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its line end. */
export function csvRecord(fields: string[], separator: CsvSeparator = ","): string {
  return fields.join(separator) + CSV_LINE_END;
}
