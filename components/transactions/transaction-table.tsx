import type { TFunction } from "i18next";
import { featureName, providerName } from "@/components/display/display-names";
import { numericCell, Table } from "@/components/ui/table";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { columnDecimals } from "@/lib/i18n/format-money";
import { enumLabel, fieldLabel } from "@/lib/i18n/model-metadata";
import { describeTransaction } from "@/lib/ledger/describe-transaction";
import type { SortDirection, TransactionSortField } from "@/lib/ledger/list-transactions";
import { balanceEffect, SignedAmount } from "./signed-amount";
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
 * Which columns give way first when the table's box is narrow (container queries in
 * transactions.module.css): 3 first, then 2; the rest always show. What a hidden column says is
 * still in the description's details (call time, provider, feature, user), and on phones every
 * row is a card with all of it.
 */
const PRIORITY: Partial<Record<TransactionColumn, 2 | 3>> = {
  createdAt: 3,
  aicoreProvider: 3,
  featureCode: 3,
  referenceType: 3,
  createdByUserId: 2,
};

/**
 * The ledger rows as a table on wide boxes and as cards on narrow ones; headers and enum values
 * from model-metadata. Free of hooks, so the server-rendered overview and the client-side
 * transactions page share it. Each cell carries its raw value in data-value for tests and tools;
 * the text is for people. Amounts show their effect on the balance ("+" credit, "−" debit, and a
 * named icon) with one number of decimals per column, so the decimal points line up.
 */
export function TransactionTable({ rows, columns, locale, t, label, sorting }: TransactionTableProps) {
  const none = <span className={styles.muted}>{t("transactions.none")}</span>;
  const amountDecimals = columnDecimals(rows.map((row) => row.amount));
  const balanceDecimals = columnDecimals(rows.map((row) => row.balanceAfter));
  const priorityClass = (column: TransactionColumn) => {
    const priority = PRIORITY[column];
    return priority === 3 ? styles.priority3 : priority === 2 ? styles.priority2 : undefined;
  };
  const userName = (row: TransactionView) =>
    row.createdByUserName ?? (row.createdByUserId ? row.createdByUserId.slice(0, 8) : null);
  const details = (row: TransactionView) => {
    const facts: [string, string | null][] = [
      [fieldLabel("BillingTransaction", "createdAt", locale), formatDateTime(row.createdAt, locale)],
      [
        fieldLabel("BillingTransaction", "aicoreProvider", locale),
        row.aicoreProvider ? providerName(t, row.aicoreProvider) : null,
      ],
      [
        fieldLabel("BillingTransaction", "featureCode", locale),
        row.featureCode ? featureName(t, row.featureCode) : null,
      ],
      [fieldLabel("BillingTransaction", "createdByUserId", locale), userName(row)],
    ];
    return facts.filter((fact): fact is [string, string] => fact[1] !== null);
  };
  // Rendered from the row's data in the reader's language (the ledger stores English sentences).
  const describe = (row: TransactionView) => describeTransaction(row, locale, t);
  const description = (row: TransactionView) => (
    // Focusable, so keyboard users reach the full text too: it opens on hover and on focus.
    <span className={styles.descriptionCell} tabIndex={0} data-testid="transaction-description">
      <span className={styles.truncated}>{describe(row)}</span>
      <span className={styles.fullText} role="tooltip">
        <span className={styles.fullDescription}>{describe(row)}</span>
        {details(row).map(([name, value]) => (
          <span key={name} className={styles.fact}>
            {name}: {value}
          </span>
        ))}
      </span>
    </span>
  );
  const amount = (row: TransactionView) => (
    <SignedAmount
      amount={balanceEffect(row.transactionType, row.amount)}
      currency={row.currency}
      decimals={amountDecimals}
      locale={locale}
      t={t}
    />
  );
  const balance = (row: TransactionView) => (
    <SignedAmount
      amount={row.balanceAfter}
      currency={row.currency}
      decimals={balanceDecimals}
      locale={locale}
      t={t}
      plain
    />
  );
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
        return description(row);
      case "aicoreProvider":
        return row.aicoreProvider ? providerName(t, row.aicoreProvider) : none;
      case "aicoreModel":
        return row.aicoreModel ? <span className={styles.model}>{row.aicoreModel}</span> : none;
      case "featureCode":
        return row.featureCode ? featureName(t, row.featureCode) : none;
      case "createdByUserId":
        return userName(row) ?? none;
      case "amount":
        return amount(row);
      case "balanceAfter":
        return balance(row);
    }
  };
  const rawValue = (row: TransactionView, column: TransactionColumn): string | undefined => {
    const value = column === "createdByUserId" ? row.createdByUserName : row[column];
    return value ?? undefined;
  };
  const showBalance = columns.includes("balanceAfter");

  return (
    <div className={styles.responsive}>
      <div className={styles.tableView}>
        <Table label={label} data-testid="transactions-table" className={styles.table}>
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
                    className={[NUMERIC.has(column) ? numericCell : "", priorityClass(column) ?? ""]
                      .filter(Boolean)
                      .join(" ")}
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
              <tr key={row.id} data-testid="transaction-row" data-id={row.id}>
                {columns.map((column) => (
                  <td
                    key={column}
                    className={[
                      NUMERIC.has(column) ? numericCell : "",
                      priorityClass(column) ?? "",
                      column === "description" ? styles.descriptionColumn : "",
                    ]
                      .filter(Boolean)
                      .join(" ")}
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
      </div>
      <ul className={styles.cards} aria-label={label} data-testid="transaction-cards">
        {rows.map((row) => (
          <li key={row.id} className={styles.card} data-testid="transaction-card">
            <div className={styles.cardHead}>
              <span className={styles.cardType}>{enumLabel("TransactionType", row.transactionType, locale)}</span>
              <span className={styles.cardAmount}>{amount(row)}</span>
            </div>
            <p className={styles.cardDescription}>{describe(row)}</p>
            <dl className={styles.cardFacts}>
              <div>
                <dt>{fieldLabel("BillingTransaction", "bookedAt", locale)}</dt>
                <dd>
                  <time dateTime={row.bookedAt}>{formatDateTime(row.bookedAt, locale)}</time>
                </dd>
              </div>
              {row.aicoreModel ? (
                <div>
                  <dt>{fieldLabel("BillingTransaction", "aicoreModel", locale)}</dt>
                  <dd className={styles.model}>{row.aicoreModel}</dd>
                </div>
              ) : null}
              {details(row).map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
              {showBalance ? (
                <div>
                  <dt>{fieldLabel("BillingTransaction", "balanceAfter", locale)}</dt>
                  <dd>{balance(row)}</dd>
                </div>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
    </div>
  );
}
