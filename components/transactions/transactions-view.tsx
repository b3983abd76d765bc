"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import type { TransactionFilterOptions } from "@/lib/dashboard/get-transaction-filter-options";
import type { TransactionViewPage } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { formatCount } from "@/lib/i18n/format-money";
import type { TransactionSortField } from "@/lib/ledger/list-transactions";
import { CsvExport } from "./csv-export";
import { fetchTransactions, isRefusal, TransactionsFetchError } from "./fetch-transactions";
import { refusedFilters } from "./refused-filters";
import { TransactionFilters } from "./transaction-filters";
import { TransactionTable, type TransactionColumn } from "./transaction-table";
import {
  hasFilters,
  pageNumber,
  readTransactionUrlState,
  transactionSearch,
  withoutPosition,
  type TransactionUrlState,
} from "./transaction-url";
import styles from "./transactions.module.css";

interface TransactionsViewProps {
  mandateId: string;
  locale: Locale;
  /** Owners and admins: the pool with a user filter and balances. A MEMBER: their own usage. */
  seesPool: boolean;
  options: TransactionFilterOptions;
  /** The server-rendered page for the URL the server saw; null when the server refused it. */
  initial: { search: string; page: TransactionViewPage | null };
}

/** A refused request is refused again: retry only what may pass next time (a network or server hiccup). */
const retry = (failures: number, error: unknown) => !isRefusal(error) && failures < 1;

/**
 * The transactions page's client part. Filters, sort and the page position live in the URL, so a
 * reload or the browser's back button keeps the place; pages by keyset cursor both ways. The
 * rows and the total come from separate routes through react-query (mandate and query in the
 * key): the rows show as soon as they arrive, the total follows when counted. A refused filter
 * (400) ends the loading and shows the server's reason at its field.
 */
export function TransactionsView({ mandateId, locale, seesPool, options, initial }: TransactionsViewProps) {
  const { t } = useTranslation("billing");
  const state = readTransactionUrlState(useSearchParams());
  const search = transactionSearch(state);
  const filterSearch = transactionSearch(withoutPosition(state));
  const base = `/api/dashboard/mandates/${mandateId}/transactions`;
  const pageNo = pageNumber(state);

  const page = useQuery({
    queryKey: ["transactions", mandateId, search],
    queryFn: ({ signal }) => fetchTransactions<TransactionViewPage>(`${base}?${search}`, signal),
    initialData: search === initial.search && initial.page ? initial.page : undefined,
    placeholderData: keepPreviousData,
    retry,
  });
  // The count stops at COUNT_CAP ("1,000+"); the exact figure is counted when asked for, for the
  // filters it was asked for.
  const [exactFor, setExactFor] = useState<string | null>(null);
  const exact = exactFor === filterSearch;
  const countSearch = exact ? `${filterSearch}${filterSearch ? "&" : ""}exact=1` : filterSearch;
  const count = useQuery({
    queryKey: ["transactions-count", mandateId, countSearch],
    queryFn: ({ signal }) =>
      fetchTransactions<{ total: number; capped?: boolean }>(`${base}/count?${countSearch}`, signal),
    retry,
  });

  const navigate = (next: TransactionUrlState) => {
    const nextSearch = transactionSearch(next);
    // Native history keeps useSearchParams in sync without re-rendering the server page; each
    // page and filter change is a history entry, so back returns to the previous place.
    window.history.pushState(null, "", nextSearch ? `?${nextSearch}` : window.location.pathname);
  };
  const filters = withoutPosition(state);
  const sort: TransactionSortField = state.sort === "amount" ? "amount" : "bookedAt";
  const direction = state.dir === "asc" ? "asc" : "desc";
  const onSort = (field: TransactionSortField) =>
    navigate({ ...filters, sort: field, dir: field === sort && direction === "desc" ? "asc" : "desc" });
  const columns: TransactionColumn[] = [
    "bookedAt",
    "createdAt",
    "transactionType",
    "description",
    "aicoreProvider",
    "aicoreModel",
    "featureCode",
    "createdByUserId",
    "amount",
    ...(seesPool ? (["balanceAfter"] as const) : []),
  ];
  const refusal = page.error instanceof TransactionsFetchError && isRefusal(page.error) ? page.error : null;
  const refused = refusal ? refusedFilters(refusal.fields, state, t) : { fields: {}, position: false };
  // With an error, placeholder rows of the previous query would be shown as if they matched.
  const rows = page.isError ? [] : (page.data?.items ?? []);
  const total = count.data?.total;
  const capped = count.data?.capped === true;
  const nextCursor = page.isError ? null : (page.data?.nextCursor ?? null);
  const prevCursor = page.isError ? null : (page.data?.prevCursor ?? null);

  return (
    <>
      <Card title={t("transactions.filters")} titleLevel={2}>
        <TransactionFilters
          key={filterSearch}
          state={state}
          options={options}
          showUserFilter={seesPool}
          locale={locale}
          errors={refused.fields}
          onApply={(next) => navigate({ sort: state.sort, dir: state.dir, ...next })}
        />
      </Card>
      <div className={styles.toolbar}>
        <p className={styles.total} data-testid="transactions-total" data-total={total ?? ""} aria-live="polite">
          {total !== undefined && capped ? (
            <>
              {t("transactions.totalAtLeast", { formatted: formatCount(total, locale) })}{" "}
              <Button variant="ghost" size="small" onClick={() => setExactFor(filterSearch)} data-testid="count-all">
                {t("transactions.countAll")}
              </Button>
            </>
          ) : total !== undefined ? (
            t("transactions.total", { count: total, formatted: formatCount(total, locale) })
          ) : count.isError ? (
            <span className={styles.countPending}>{t("transactions.totalUnavailable")}</span>
          ) : (
            <span className={styles.countPending} data-testid="transactions-total-pending">
              <Spinner size="small" decorative /> {t("transactions.totalPending")}
            </span>
          )}
        </p>
        <CsvExport url={`${base}/export?${filterSearch}`} />
      </div>
      {page.isError ? (
        <Card role="alert" data-testid="transactions-error">
          <div className={styles.refusal}>
            <p className={styles.error}>
              {refusal
                ? t(refused.position ? "transactions.invalid.position" : "transactions.refused")
                : t("transactions.error")}
            </p>
            <div className={styles.filterActions}>
              {refusal ? null : (
                <Button variant="secondary" onClick={() => void page.refetch()}>
                  {t("transactions.retry")}
                </Button>
              )}
              {refused.position ? (
                <Button variant="secondary" onClick={() => navigate(filters)}>
                  {t("transactions.first")}
                </Button>
              ) : null}
              {hasFilters(state) ? (
                <Button variant="ghost" onClick={() => navigate({})}>
                  {t("transactions.reset")}
                </Button>
              ) : null}
            </div>
          </div>
        </Card>
      ) : page.isPending ? (
        <Card>
          <Spinner label={t("transactions.loading")} />
        </Card>
      ) : rows.length === 0 ? (
        <Card data-testid="transactions-empty">
          {hasFilters(state) ? (
            <EmptyState
              title={t("transactions.empty")}
              description={t("transactions.emptyHint")}
              action={
                <Button variant="secondary" onClick={() => navigate({})}>
                  {t("transactions.reset")}
                </Button>
              }
            />
          ) : (
            <EmptyState title={t("transactions.emptyAll")} />
          )}
        </Card>
      ) : (
        <div className={page.isPlaceholderData ? styles.stale : undefined} aria-busy={page.isFetching || undefined}>
          <TransactionTable
            rows={rows}
            columns={columns}
            locale={locale}
            t={t}
            label={t("transactions.tableLabel")}
            sorting={{ sort, direction, onSort }}
          />
        </div>
      )}
      <nav className={styles.pager} aria-label={t("transactions.pagination")}>
        <span className={styles.pageNumber} data-testid="page-number">
          {t("transactions.pageOf", { page: formatCount(pageNo, locale) })}
        </span>
        <Button
          variant="secondary"
          size="small"
          disabled={!state.cursor && !state.before}
          onClick={() => navigate(filters)}
          data-testid="page-first"
        >
          {t("transactions.first")}
        </Button>
        <Button
          variant="secondary"
          size="small"
          disabled={!prevCursor || page.isPlaceholderData}
          onClick={() =>
            // The page after the first is left for the first page itself: a clean URL.
            navigate(pageNo <= 2 ? filters : { ...filters, before: prevCursor ?? undefined, page: String(pageNo - 1) })
          }
          data-testid="page-previous"
        >
          {t("transactions.previous")}
        </Button>
        <Button
          variant="secondary"
          size="small"
          disabled={!nextCursor || page.isPlaceholderData}
          onClick={() => navigate({ ...filters, cursor: nextCursor ?? undefined, page: String(pageNo + 1) })}
          data-testid="page-next"
        >
          {t("transactions.next")}
        </Button>
      </nav>
    </>
  );
}
