import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { fieldLabel, type FieldName } from "@/lib/i18n/model-metadata";
import { csvField, csvRecord } from "./csv";

/**
 * The columns of the transactions export, in order. Values are data, not display text: amounts
 * are the ledger's exact decimal strings (no thousands separator, no currency sign, so every
 * spreadsheet and script reads them the same), enums their codes (DEBIT, WORKFLOW: the same in a
 * German and an English file), times UTC with microseconds. Only the header is translated.
 */
interface Column {
  label: (locale: Locale) => string;
  value: (row: TransactionView) => string | number | null;
  /** Free text: guarded against spreadsheet formulas (see csvField). */
  text?: true;
}

const field =
  (name: FieldName<"BillingTransaction">) =>
  (locale: Locale): string =>
    fieldLabel("BillingTransaction", name, locale);

const COLUMNS: Column[] = [
  { label: field("createdAt"), value: (r) => r.createdAt },
  { label: field("transactionType"), value: (r) => r.transactionType },
  { label: field("amount"), value: (r) => r.amount },
  { label: field("currency"), value: (r) => r.currency },
  { label: field("balanceAfter"), value: (r) => r.balanceAfter },
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
  { label: field("processingTime"), value: (r) => r.processingTime },
  { label: field("bytesSent"), value: (r) => r.bytesSent },
  { label: field("bytesReceived"), value: (r) => r.bytesReceived },
  { label: field("errorCount"), value: (r) => r.errorCount },
  { label: field("id"), value: (r) => r.id },
];

/** The header labels from model-metadata, in the reader's language. */
export function transactionCsvHeader(locale: Locale): string {
  return csvRecord(COLUMNS.map((column) => csvField(column.label(locale))));
}

export function transactionCsvRecord(row: TransactionView): string {
  return csvRecord(COLUMNS.map((column) => csvField(column.value(row), { text: column.text })));
}
