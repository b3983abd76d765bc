import {
  countTransactions,
  countTransactionsUpTo,
  listTransactionPage,
  type CappedCount,
  type TransactionItem,
} from "@/lib/ledger/list-transactions";
import { getWordings } from "@/lib/ledger/get-wordings";
import type { LedgerWording } from "@/lib/ledger/wording";
import { toListOptions, toTransactionFilter, type TransactionQuery } from "./transaction-query";
import { getUserNames } from "./user-names";
import type { DashboardViewer } from "./viewer";

/** Rows per page of the dashboard table. */
const DASHBOARD_PAGE_SIZE = 50;

/**
 * A ledger row as the dashboard shows it: with the name of the person who caused it, and what
 * the platform's own booking says (rendered in the reader's language by describe-transaction.ts).
 */
export interface TransactionView extends TransactionItem {
  createdByUserName: string | null;
  wording: LedgerWording | null;
}

export interface TransactionViewPage {
  items: TransactionView[];
  nextCursor: string | null;
  /** The `before` of the previous page; null on the first. */
  prevCursor: string | null;
}

/** One page of the transactions the viewer may see (see toTransactionFilter for the scope). */
export async function listTransactionViews(
  viewer: DashboardViewer,
  query: TransactionQuery,
  limit = DASHBOARD_PAGE_SIZE,
): Promise<TransactionViewPage> {
  const page = await listTransactionPage({ ...toListOptions(viewer, query), limit });
  return { items: await toTransactionViews(page.items), nextCursor: page.nextCursor, prevCursor: page.prevCursor };
}

/** The number of rows the viewer's query matches, over all pages. */
export async function countTransactionViews(viewer: DashboardViewer, query: TransactionQuery): Promise<number> {
  return countTransactions(toTransactionFilter(viewer, query));
}

/** The same, counted up to COUNT_CAP (lib/ledger/list-transactions.ts): the table's total. */
export async function countTransactionViewsUpTo(
  viewer: DashboardViewer,
  query: TransactionQuery,
): Promise<CappedCount> {
  return countTransactionsUpTo(toTransactionFilter(viewer, query));
}

export async function toTransactionViews(items: TransactionItem[]): Promise<TransactionView[]> {
  const [names, wordings] = await Promise.all([
    getUserNames(items.map((item) => item.createdByUserId)),
    getWordings(items),
  ]);
  return items.map((item) => ({
    ...item,
    createdByUserName: item.createdByUserId ? (names.get(item.createdByUserId) ?? null) : null,
    wording: wordings.get(item.id) ?? null,
  }));
}
