/**
 * RFC 4180 CSV for spreadsheet users: comma separated, CRLF line ends, a field quoted when it
 * holds a comma, quote, CR or LF, quotes doubled inside. Safe in the browser.
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

export function csvField(value: CsvValue, opts: { text?: boolean } = {}): string {
  if (value === null) return "";
  let text = String(value);
  if (opts.text && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its line end. */
export function csvRecord(fields: string[]): string {
  return fields.join(",") + CSV_LINE_END;
}
