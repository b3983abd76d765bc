import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { fieldLabel, type FieldName } from "@/lib/i18n/model-metadata";
import { csvField, csvRecord } from "./csv";
import type { CsvFormat } from "./csv-format";

/**
 * The columns of the transactions export, in order. Values are data, not display text: amounts
 * are the ledger's exact decimal strings (no thousands separator, no currency sign, all digits
 * kept), written with the decimal symbol the reader's Excel expects (csv-format.ts) so it reads
 * them as numbers; enums are their codes (DEBIT, WORKFLOW: the same in a German and an English
 * file), times UTC with microseconds. Only the header is translated.
 */
interface Column {
  label: (locale: Locale) => string;
  value: (row: TransactionView) => string | number | null;
  /** Free text: guarded against spreadsheet formulas (see csvField). */
  text?: true;
  /** A decimal string: written with the format's decimal symbol. */
  decimal?: true;
}

const field =
  (name: FieldName<"BillingTransaction">) =>
  (locale: Locale): string =>
    fieldLabel("BillingTransaction", name, locale);

const COLUMNS: Column[] = [
  // Rows come in booking order, the order balanceAfter runs in; the call time follows it.
  { label: field("bookedAt"), value: (r) => r.bookedAt },
  { label: field("createdAt"), value: (r) => r.createdAt },
  { label: field("transactionType"), value: (r) => r.transactionType },
  { label: field("amount"), value: (r) => r.amount, decimal: true },
  { label: field("currency"), value: (r) => r.currency },
  { label: field("balanceAfter"), value: (r) => r.balanceAfter, decimal: true },
  { label: field("description"), value: (r) => r.description, text: true },
  { label: field("referenceType"), value: (r) => r.referenceType },
  { label: field("referenceId"), value: (r) => r.referenceId, text: true },
  { label: field("aicoreProvider"), value: (r) => r.aicoreProvider, text: true },
  { label: field("aicoreModel"), value: (r) => r.aicoreModel, text: true },
  { label: field("featureCode"), value: (r) => r.featureCode, text: true },
  { label: field("workflowId"), value: (r) => r.workflowId, text: true },
  // "Created by user" reads as a person: the name; the id follows under the account's "User ID".
  { label: field("createdByUserId"), value: (r) => r.createdByUserName, text: true },
  { label: (locale) => fieldLabel("BillingAccount", "userId", locale), value: (r) => r.createdByUserId },
  { label: field("processingTime"), value: (r) => r.processingTime, decimal: true },
  { label: field("bytesSent"), value: (r) => r.bytesSent },
  { label: field("bytesReceived"), value: (r) => r.bytesReceived },
  { label: field("errorCount"), value: (r) => r.errorCount },
  { label: field("id"), value: (r) => r.id },
];

/** The header labels from model-metadata, in the reader's language. */
export function transactionCsvHeader(format: CsvFormat): string {
  return csvRecord(
    COLUMNS.map((column) => csvField(column.label(format.locale), { separator: format.separator })),
    format.separator,
  );
}

export function transactionCsvRecord(row: TransactionView, format: CsvFormat): string {
  return csvRecord(
    COLUMNS.map((column) => {
      const value = column.value(row);
      const written =
        column.decimal && typeof value === "string" && format.decimalSeparator !== "."
          ? value.replace(".", format.decimalSeparator)
          : value;
      return csvField(written, { text: column.text, separator: format.separator });
    }),
    format.separator,
  );
}
