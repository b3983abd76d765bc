import { csvField, csvRecord, CSV_BOM } from "@/lib/export/csv";
import { csvFormatFor } from "@/lib/export/csv-format";
import type { Locale } from "@/lib/i18n/config";
import { columnDecimals, formatAmount, formatCount } from "@/lib/i18n/format-money";
import type { CostShareRow } from "./cost-share";

/**
 * A cost-share chart's rows as the CSV the page offers: exactly the chart's rows, in its order,
 * each figure written as the table shows it in the viewer's language (German `1'408.30`,
 * English `1,408.30`), the header in that language too. German files are semicolon separated
 * (csv-format.ts); an English amount with a group comma is quoted. Safe in the browser.
 */
export interface CostShareColumns {
  name: string;
  amount: string;
  share: string;
  /** Omitted where the rows have no counts (models). */
  count: string | null;
}

export function costShareCsv(rows: CostShareRow[], columns: CostShareColumns, locale: Locale): string {
  const { separator } = csvFormatFor(locale);
  const decimals = columnDecimals(rows.map((row) => row.amount));
  const withCount = columns.count !== null;
  const header = [columns.name, columns.amount, columns.share, ...(withCount ? [columns.count ?? ""] : [])];
  const lines = [
    csvRecord(
      header.map((text) => csvField(text, { text: true, separator })),
      separator,
    ),
  ];
  for (const row of rows) {
    const fields = [
      csvField(row.name, { text: true, separator }),
      csvField(formatAmount(row.amount, locale, { decimals }), { separator }),
      csvField(formatAmount(row.share, locale, { decimals: 1 }), { separator }),
    ];
    if (withCount)
      fields.push(
        csvField(row.transactionCount === null ? null : formatCount(row.transactionCount, locale), { separator }),
      );
    lines.push(csvRecord(fields, separator));
  }
  return CSV_BOM + lines.join("");
}
