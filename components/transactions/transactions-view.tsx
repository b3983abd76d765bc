"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fetchJson } from "@/components/data/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import type { TransactionFilterOptions } from "@/lib/dashboard/get-transaction-filter-options";
import type { TransactionViewPage } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import type { TransactionSortField } from "@/lib/ledger/list-transactions";
import { CsvExport } from "./csv-export";
import { TransactionFilters } from "./transaction-filters";
import { TransactionTable, type TransactionColumn } from "./transaction-table";
import { hasFilters, readTransactionUrlState, transactionSearch, type TransactionUrlState } from "./transaction-url";
import styles from "./transactions.module.css";

interface TransactionsViewProps {
  mandateId: string;
  locale: Locale;
  /** Owners and admins: the pool with a user filter and balances. A MEMBER: their own usage. */
  seesPool: boolean;
  options: TransactionFilterOptions;
  /** The server-rendered first page, for the URL the server saw. */
  initial: { search: string; page: TransactionViewPage; total: number };
}

/** Position in the keyset pages: the cursors that led to each page so far, reset when the filters change. */
interface PageTrail {
  search: string;
  cursors: (string | null)[];
}

/**
 * The transactions page's client part: filters and sort in the URL, pages by keyset cursor, the
 * rows and the total from the dashboard routes through react-query (mandate and query in the key).
 */
export function TransactionsView({ mandateId, locale, seesPool, options, initial }: TransactionsViewProps) {
  const { t } = useTranslation("billing");
  const state = readTransactionUrlState(useSearchParams());
  const search = transactionSearch(state);
  const [trail, setTrail] = useState<PageTrail>({ search, cursors: [null] });
  const cursors = trail.search === search ? trail.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const base = `/api/dashboard/mandates/${mandateId}/transactions`;
  const pageSearch = cursor ? `${search}${search ? "&" : ""}cursor=${encodeURIComponent(cursor)}` : search;

  const page = useQuery({
    queryKey: ["transactions", mandateId, search, cursor],
    queryFn: ({ signal }) => fetchJson<TransactionViewPage>(`${base}?${pageSearch}`, signal),
    initialData: search === initial.search && cursor === null ? initial.page : undefined,
    placeholderData: keepPreviousData,
  });
  const count = useQuery({
    queryKey: ["transactions-count", mandateId, search],
    queryFn: ({ signal }) => fetchJson<{ total: number }>(`${base}/count?${search}`, signal),
    initialData: search === initial.search ? { total: initial.total } : undefined,
  });

  const navigate = (next: TransactionUrlState) => {
    const nextSearch = transactionSearch(next);
    // Native history keeps useSearchParams in sync without re-rendering the server page.
    window.history.pushState(null, "", nextSearch ? `?${nextSearch}` : window.location.pathname);
  };
  const sort: TransactionSortField = state.sort === "amount" ? "amount" : "bookedAt";
  const direction = state.dir === "asc" ? "asc" : "desc";
  const onSort = (field: TransactionSortField) =>
    navigate({ ...state, sort: field, dir: field === sort && direction === "desc" ? "asc" : "desc" });
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
  const rows = page.data?.items ?? [];
  const total = count.data?.total;

  return (
    <>
      <Card title={t("transactions.filters")} titleLevel={2}>
        <TransactionFilters
          key={search}
          state={state}
          options={options}
          showUserFilter={seesPool}
          locale={locale}
          onApply={(filters) => navigate({ sort: state.sort, dir: state.dir, ...filters })}
        />
      </Card>
      <div className={styles.toolbar}>
        <p className={styles.total} data-testid="transactions-total" data-total={total ?? ""} aria-live="polite">
          {total === undefined ? (
            <Spinner size="small" label={t("transactions.loading")} />
          ) : (
            t("transactions.total", { count: total })
          )}
        </p>
        <CsvExport url={`${base}/export?${search}`} />
      </div>
      {page.isError ? (
        <Card role="alert" data-testid="transactions-error">
          <p className={styles.error}>{t("transactions.error")}</p>
          <Button variant="secondary" onClick={() => void page.refetch()}>
            {t("transactions.retry")}
          </Button>
          {hasFilters(state) ? (
            <Button variant="ghost" onClick={() => navigate({})}>
              {t("transactions.reset")}
            </Button>
          ) : null}
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
          {t("transactions.pageOf", { page: cursors.length })}
        </span>
        <Button
          variant="secondary"
          size="small"
          disabled={cursors.length <= 1}
          onClick={() => setTrail({ search, cursors: [null] })}
        >
          {t("transactions.first")}
        </Button>
        <Button
          variant="secondary"
          size="small"
          disabled={cursors.length <= 1}
          onClick={() => setTrail({ search, cursors: cursors.slice(0, -1) })}
          data-testid="page-previous"
        >
          {t("transactions.previous")}
        </Button>
        <Button
          variant="secondary"
          size="small"
          disabled={!page.data?.nextCursor || page.isPlaceholderData}
          onClick={() => setTrail({ search, cursors: [...cursors, page.data?.nextCursor ?? null] })}
          data-testid="page-next"
        >
          {t("transactions.next")}
        </Button>
      </nav>
    </>
  );
}
