import type { TFunction } from "i18next";
import { featureName, providerName } from "@/components/display/display-names";
import { MoneyText } from "@/components/ui/money-text";
import { numericCell, Table } from "@/components/ui/table";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { enumLabel, fieldLabel } from "@/lib/i18n/model-metadata";
import type { SortDirection, TransactionSortField } from "@/lib/ledger/list-transactions";
import styles from "./transactions.module.css";

export type TransactionColumn =
  | "bookedAt"
  | "createdAt"
  | "transactionType"
  | "referenceType"
  | "description"
  | "aicoreProvider"
  | "aicoreModel"
  | "featureCode"
  | "createdByUserId"
  | "amount"
  | "balanceAfter";

interface TransactionTableSort {
  sort: TransactionSortField;
  direction: SortDirection;
  onSort: (field: TransactionSortField) => void;
}

interface TransactionTableProps {
  rows: TransactionView[];
  columns: TransactionColumn[];
  locale: Locale;
  /** The "billing" namespace. */
  t: TFunction;
  label: string;
  /**
   * Sortable booking-order and amount headers (the transactions page); static headers without it.
   * The rows come in booking order (bookedAt), the order balanceAfter runs in; the call time
   * (createdAt) is shown beside it and may go back and forth.
   */
  sorting?: TransactionTableSort;
}

const NUMERIC: ReadonlySet<TransactionColumn> = new Set(["amount", "balanceAfter"]);
const SORTABLE: Partial<Record<TransactionColumn, TransactionSortField>> = { bookedAt: "bookedAt", amount: "amount" };

/**
 * The ledger rows as a table; headers and enum values from model-metadata. Free of hooks, so the
 * server-rendered overview and the client-side transactions page share it. Each cell carries its
 * raw value in data-value for tests and tools; the text is for people.
 */
export function TransactionTable({ rows, columns, locale, t, label, sorting }: TransactionTableProps) {
  const none = <span className={styles.muted}>{t("transactions.none")}</span>;
  const cell = (row: TransactionView, column: TransactionColumn) => {
    switch (column) {
      case "bookedAt":
      case "createdAt":
        return (
          <time dateTime={row[column]} className={styles.nowrap}>
            {formatDateTime(row[column], locale)}
          </time>
        );
      case "transactionType":
        return enumLabel("TransactionType", row.transactionType, locale);
      case "referenceType":
        return row.referenceType ? enumLabel("ReferenceType", row.referenceType, locale) : none;
      case "description":
        return <span className={styles.description}>{row.description}</span>;
      case "aicoreProvider":
        return row.aicoreProvider ? providerName(t, row.aicoreProvider) : none;
      case "aicoreModel":
        return row.aicoreModel ? <span className={styles.nowrap}>{row.aicoreModel}</span> : none;
      case "featureCode":
        return row.featureCode ? featureName(t, row.featureCode) : none;
      case "createdByUserId":
        return row.createdByUserName ?? (row.createdByUserId ? row.createdByUserId.slice(0, 8) : none);
      case "amount":
        return <MoneyText amount={row.amount} currency={row.currency} locale={locale} />;
      case "balanceAfter":
        return <MoneyText amount={row.balanceAfter} currency={row.currency} locale={locale} />;
    }
  };
  const rawValue = (row: TransactionView, column: TransactionColumn): string | undefined => {
    const value = column === "createdByUserId" ? row.createdByUserName : row[column];
    return value ?? undefined;
  };

  return (
    <Table label={label} data-testid="transactions-table">
      <thead>
        <tr>
          {columns.map((column) => {
            const text = fieldLabel("BillingTransaction", column, locale);
            const sortField = SORTABLE[column];
            const active = sorting && sortField === sorting.sort;
            const ariaSort = active ? (sorting.direction === "asc" ? "ascending" : "descending") : undefined;
            return (
              <th
                key={column}
                scope="col"
                className={NUMERIC.has(column) ? numericCell : undefined}
                aria-sort={sorting && sortField ? (ariaSort ?? "none") : undefined}
              >
                {sorting && sortField ? (
                  <button
                    type="button"
                    className={styles.sortButton}
                    onClick={() => sorting.onSort(sortField)}
                    title={t("transactions.sortBy", { column: text })}
                    data-testid={`sort-${sortField}`}
                  >
                    {text}
                    <span aria-hidden="true" className={active ? undefined : styles.muted}>
                      {active ? (sorting.direction === "asc" ? " ▲" : " ▼") : " ↕"}
                    </span>
                  </button>
                ) : (
                  text
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid="transaction-row">
            {columns.map((column) => (
              <td
                key={column}
                className={NUMERIC.has(column) ? numericCell : undefined}
                data-field={column}
                data-value={rawValue(row, column)}
              >
                {cell(row, column)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
