"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useTranslation } from "react-i18next";
import { ChartFrame } from "@/components/charts/chart-frame";
import { CostByFeatureChart } from "@/components/charts/cost-by-feature-chart";
import { CostByProviderChart } from "@/components/charts/cost-by-provider-chart";
import { TransactionCountChart } from "@/components/charts/transaction-count-chart";
import { fetchJson } from "@/components/data/fetch-json";
import { periodTitle } from "@/components/display/display-names";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { MoneyText } from "@/components/ui/money-text";
import { Spinner } from "@/components/ui/spinner";
import type { Locale } from "@/lib/i18n/config";
import { fieldLabel } from "@/lib/i18n/model-metadata";
import { formatMoney, intlLocale } from "@/lib/money/format";
import { toChartValue } from "@/lib/stats/chart-value";
import type { BillingStatistics } from "@/lib/stats/get-statistics";
import styles from "./statistics.module.css";
import { PeriodControls } from "./period-controls";
import { readStatisticsView, statisticsSearch, type StatisticsViewState } from "./statistics-url";

interface StatisticsViewProps {
  mandateId: string;
  locale: Locale;
  /** The server's choice when the URL names no period: this month's year and month in Zurich. */
  today: { year: number; month: number };
  initial: { view: StatisticsViewState; data: BillingStatistics };
}

/**
 * The statistics page: period switch, navigation and three charts over one query. The view
 * (period, year, month) lives in the URL; the first view arrives server-rendered as initialData.
 */
export function StatisticsView({ mandateId, locale, today, initial }: StatisticsViewProps) {
  const { t } = useTranslation("billing");
  const view = readStatisticsView(useSearchParams(), today);
  const search = statisticsSearch(view);
  const query = useQuery({
    queryKey: ["statistics", mandateId, view.period, view.year, view.period === "DAY" ? view.month : null],
    queryFn: ({ signal }) =>
      fetchJson<BillingStatistics>(`/api/dashboard/mandates/${mandateId}/statistics?${search}`, signal),
    initialData: search === statisticsSearch(initial.view) ? initial.data : undefined,
    placeholderData: keepPreviousData,
  });
  const navigate = (next: StatisticsViewState) => {
    // Native history keeps useSearchParams in sync without a server round trip (Next's router integration).
    window.history.pushState(null, "", `?${statisticsSearch(next)}`);
  };
  const title = periodTitle(view.period, view.year, view.month, locale);
  const stats = query.data;

  return (
    <>
      <PeriodControls view={view} today={today} locale={locale} title={title} onChange={navigate} />
      {query.isError && !stats ? (
        <Card role="alert" data-testid="statistics-error">
          <p className={styles.error}>{t("statistics.error")}</p>
          <Button variant="secondary" onClick={() => void query.refetch()}>
            {t("statistics.retry")}
          </Button>
        </Card>
      ) : !stats ? (
        <StatisticsSkeleton label={t("statistics.loading")} />
      ) : (
        <div
          className={query.isPlaceholderData ? `${styles.body} ${styles.stale}` : styles.body}
          aria-busy={query.isFetching || undefined}
          data-testid="statistics-body"
        >
          {query.isError ? (
            <p role="alert" className={styles.error}>
              {t("statistics.error")}
            </p>
          ) : null}
          {stats.complete ? null : <p className={styles.notice}>{t("statistics.incomplete")}</p>}
          <StatisticsContent stats={stats} title={title} locale={locale} />
        </div>
      )}
    </>
  );
}

function StatisticsContent({ stats, title, locale }: { stats: BillingStatistics; title: string; locale: Locale }) {
  const { t } = useTranslation("billing");
  const total = formatMoney(stats.totals.totalCost, locale, stats.currency);
  if (stats.totals.transactionCount === 0) {
    return (
      <Card data-testid="statistics-empty">
        <EmptyState title={t("statistics.empty")} description={t("statistics.emptyHint")} />
      </Card>
    );
  }
  // Stacking and legend order by size: an order for the eye, so the chart value is good enough.
  const providers = Object.keys(stats.totals.byProvider).sort(
    (a, b) => toChartValue(stats.totals.byProvider[b] ?? "0") - toChartValue(stats.totals.byProvider[a] ?? "0"),
  );
  const countText = new Intl.NumberFormat(intlLocale(locale)).format(stats.totals.transactionCount);
  return (
    <>
      <div className={styles.summary}>
        <Card title={fieldLabel("UsageStatistics", "totalCostCHF", locale)}>
          <p className={styles.figure}>
            <MoneyText
              amount={stats.totals.totalCost}
              currency={stats.currency}
              locale={locale}
              data-testid="statistics-total"
            />
          </p>
        </Card>
        <Card title={fieldLabel("UsageStatistics", "transactionCount", locale)}>
          <p className={styles.figure} data-testid="statistics-count">
            {countText}
          </p>
        </Card>
      </div>
      <Card className={styles.chartCard}>
        <ChartFrame
          title={fieldLabel("UsageStatistics", "costByProvider", locale)}
          summary={t("statistics.chartSummary", { title: t("statistics.totalCost"), period: title, total })}
          testId="chart-cost-by-provider"
        >
          <CostByProviderChart
            points={stats.data}
            providers={providers}
            period={stats.period}
            currency={stats.currency}
            locale={locale}
          />
        </ChartFrame>
      </Card>
      <div className={styles.chartRow}>
        <Card className={styles.chartCard}>
          <ChartFrame
            title={fieldLabel("UsageStatistics", "costByFeature", locale)}
            summary={t("statistics.chartSummary", { title: t("statistics.totalCost"), period: title, total })}
            testId="chart-cost-by-feature"
          >
            <CostByFeatureChart byFeature={stats.totals.byFeature} currency={stats.currency} locale={locale} />
          </ChartFrame>
        </Card>
        <Card className={styles.chartCard}>
          <ChartFrame
            title={fieldLabel("UsageStatistics", "transactionCount", locale)}
            summary={t("statistics.chartSummary", {
              title: t("statistics.transactions"),
              period: title,
              total: countText,
            })}
            testId="chart-transaction-count"
          >
            <TransactionCountChart points={stats.data} period={stats.period} locale={locale} />
          </ChartFrame>
        </Card>
      </div>
    </>
  );
}

function StatisticsSkeleton({ label }: { label: string }) {
  return (
    <div className={styles.skeleton} data-testid="statistics-loading">
      <Spinner label={label} />
      <span aria-hidden="true">{label}</span>
    </div>
  );
}
