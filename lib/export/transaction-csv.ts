import type { TFunction } from "i18next";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { formatAmount, formatCount, formatNumber, MINUS } from "@/lib/i18n/format-money";
import { getTranslator } from "@/lib/i18n/get-translator";
import { enumLabel, fieldLabel, type FieldName } from "@/lib/i18n/model-metadata";
import { describeTransaction } from "@/lib/ledger/describe-transaction";
import { csvField, csvRecord } from "./csv";
import type { CsvFormat } from "./csv-format";
import { formatCsvTime } from "./csv-time";

/**
 * The columns of the transactions export, in order, in the reader's language: header labels
 * from model-metadata, values as the dashboard shows them (type and reference labels, provider
 * and feature names, the rendered description, Zurich times with their offset), amounts and
 * counts in the language's one number format ("1'408.30" / "1,408.30") with all the decimals the
 * amount has (2 to 6) and an ASCII minus, so a spreadsheet still reads them as numbers.
 */
interface Column {
  label: (locale: Locale) => string;
  value: (row: TransactionView, r: Renderer) => string | number | null;
  /** Free text: guarded against spreadsheet formulas (see csvField). */
  text?: true;
}

interface Renderer {
  locale: Locale;
  describe: (row: TransactionView) => string;
  provider: (id: string) => string;
  feature: (code: string) => string;
}

const field =
  (name: FieldName<"BillingTransaction">) =>
  (locale: Locale): string =>
    fieldLabel("BillingTransaction", name, locale);

function amount(value: string, locale: Locale): string {
  return formatAmount(value, locale).replace(MINUS, "-");
}

const COLUMNS: Column[] = [
  // Rows come in booking order, the order balanceAfter runs in; the call time follows it.
  { label: field("bookedAt"), value: (row, r) => formatCsvTime(row.bookedAt, r.locale) },
  { label: field("createdAt"), value: (row, r) => formatCsvTime(row.createdAt, r.locale) },
  { label: field("transactionType"), value: (row, r) => enumLabel("TransactionType", row.transactionType, r.locale) },
  { label: field("amount"), value: (row, r) => amount(row.amount, r.locale) },
  { label: field("currency"), value: (row) => row.currency },
  { label: field("balanceAfter"), value: (row, r) => amount(row.balanceAfter, r.locale) },
  { label: field("description"), value: (row, r) => r.describe(row), text: true },
  {
    label: field("referenceType"),
    value: (row, r) => (row.referenceType ? enumLabel("ReferenceType", row.referenceType, r.locale) : null),
  },
  { label: field("referenceId"), value: (row) => row.referenceId, text: true },
  {
    label: field("aicoreProvider"),
    value: (row, r) => (row.aicoreProvider ? r.provider(row.aicoreProvider) : null),
    text: true,
  },
  { label: field("aicoreModel"), value: (row) => row.aicoreModel, text: true },
  {
    label: field("featureCode"),
    value: (row, r) => (row.featureCode ? r.feature(row.featureCode) : null),
    text: true,
  },
  { label: field("workflowId"), value: (row) => row.workflowId, text: true },
  // "Created by user" reads as a person: the name; the id follows under the account's "User ID".
  { label: field("createdByUserId"), value: (row) => row.createdByUserName, text: true },
  { label: (locale) => fieldLabel("BillingAccount", "userId", locale), value: (row) => row.createdByUserId },
  {
    label: field("processingTime"),
    value: (row, r) => (row.processingTime === null ? null : formatNumber(row.processingTime, r.locale, 3)),
  },
  {
    label: field("bytesSent"),
    value: (row, r) => (row.bytesSent === null ? null : formatCount(row.bytesSent, r.locale)),
  },
  {
    label: field("bytesReceived"),
    value: (row, r) => (row.bytesReceived === null ? null : formatCount(row.bytesReceived, r.locale)),
  },
  {
    label: field("errorCount"),
    value: (row, r) => (row.errorCount === null ? null : formatCount(row.errorCount, r.locale)),
  },
  { label: field("id"), value: (row) => row.id },
];

/**
 * An export may hold millions of rows, mostly AI usage of a few provider, model and feature
 * combinations, so each text is rendered once and looked up after (a translation costs far more
 * than a lookup). Bounded, so the export's memory stays flat.
 */
const MAX_CACHED_TEXTS = 5_000;

function cached<T>(keyOf: (value: T) => string, render: (value: T) => string): (value: T) => string {
  const texts = new Map<string, string>();
  return (value) => {
    const key = keyOf(value);
    let text = texts.get(key);
    if (text === undefined) {
      text = render(value);
      if (texts.size >= MAX_CACHED_TEXTS) texts.clear();
      texts.set(key, text);
    }
    return text;
  };
}

const same = (value: string) => value;
const renderers = new Map<Locale, Renderer>();

function rendererFor(locale: Locale): Renderer {
  let renderer = renderers.get(locale);
  if (!renderer) {
    const t: TFunction = getTranslator(locale, "billing");
    renderer = {
      locale,
      describe: cached(
        (row: TransactionView) =>
          [row.referenceType, row.aicoreProvider, row.aicoreModel, row.featureCode, row.description].join("\u0000"),
        (row) => describeTransaction(row, locale, t),
      ),
      provider: cached(same, (id) => t(`providers.${id}`, { defaultValue: id })),
      feature: cached(same, (code) => t(`features.${code}`, { defaultValue: code })),
    };
    renderers.set(locale, renderer);
  }
  return renderer;
}

/** The header labels from model-metadata, in the reader's language. */
export function transactionCsvHeader(format: CsvFormat): string {
  return csvRecord(
    COLUMNS.map((column) => csvField(column.label(format.locale), { separator: format.separator })),
    format.separator,
  );
}

export function transactionCsvRecord(row: TransactionView, format: CsvFormat): string {
  const renderer = rendererFor(format.locale);
  return csvRecord(
    COLUMNS.map((column) => csvField(column.value(row, renderer), { text: column.text, separator: format.separator })),
    format.separator,
  );
}
