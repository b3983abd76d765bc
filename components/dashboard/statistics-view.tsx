"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useTranslation } from "react-i18next";
import { ChartFrame } from "@/components/charts/chart-frame";
import { CostByFeatureChart } from "@/components/charts/cost-by-feature-chart";
import { CostByProviderChart } from "@/components/charts/cost-by-provider-chart";
import { modelRows, userRows } from "@/components/charts/cost-share-rows";
import { CostShareSection } from "@/components/charts/cost-share-section";
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
import { formatCount } from "@/lib/i18n/format-money";
import { formatMoney } from "@/lib/money/format";
import { YEARS_SHOWN } from "@/lib/stats/business-calendar";
import { toChartValue } from "@/lib/stats/chart-value";
import type { DashboardStatistics } from "@/lib/dashboard/get-dashboard-statistics";
import styles from "./statistics.module.css";
import { PeriodControls } from "./period-controls";
import { readStatisticsView, statisticsSearch, type StatisticsViewState } from "./statistics-url";

interface StatisticsViewProps {
  mandateId: string;
  locale: Locale;
  /** The server's choice when the URL names no period: this month's year and month in Zurich. */
  today: { year: number; month: number };
  initial: { view: StatisticsViewState; data: DashboardStatistics };
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
      fetchJson<DashboardStatistics>(`/api/dashboard/mandates/${mandateId}/statistics?${search}`, signal),
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

function StatisticsContent({ stats, title, locale }: { stats: DashboardStatistics; title: string; locale: Locale }) {
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
  const countText = formatCount(stats.totals.transactionCount, locale);
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
      <CostBreakdownCards stats={stats} title={title} locale={locale} />
    </>
  );
}

/** Cost by user and by model, each a chart with its table and CSV, over the viewed period. */
function CostBreakdownCards({ stats, title, locale }: { stats: DashboardStatistics; title: string; locale: Locale }) {
  const { t } = useTranslation("billing");
  const { breakdown } = stats;
  const summary = t("statistics.chartSummary", {
    title: t("statistics.totalCost"),
    period: title,
    total: formatMoney(breakdown.totalCost, locale, breakdown.currency),
  });
  const amount = t("statistics.amountColumn", { currency: breakdown.currency });
  const share = t("statistics.shareColumn");
  const period = statisticsFilePeriod(stats);
  return (
    <>
      <Card className={styles.chartCard}>
        <CostShareSection
          title={t("statistics.costByUser")}
          summary={summary}
          rows={userRows(t, breakdown.byUser)}
          columns={{ name: t("statistics.user"), amount, share, count: t("statistics.transactions") }}
          currency={breakdown.currency}
          locale={locale}
          testId="chart-cost-by-user"
          fileName={`${t("statistics.fileCostByUser")}-${period}`}
        />
      </Card>
      <Card className={styles.chartCard}>
        <CostShareSection
          title={t("statistics.costByModel")}
          summary={summary}
          rows={modelRows(t, breakdown.byModel)}
          columns={{ name: t("statistics.model"), amount, share, count: null }}
          currency={breakdown.currency}
          locale={locale}
          testId="chart-cost-by-model"
          fileName={`${t("statistics.fileCostByModel")}-${period}`}
        />
      </Card>
    </>
  );
}

/** The viewed period in a file name: "2026-11", "2026", "2022-2026". */
function statisticsFilePeriod(stats: DashboardStatistics): string {
  if (stats.period === "DAY") return `${stats.year}-${String(stats.month ?? 1).padStart(2, "0")}`;
  if (stats.period === "MONTH") return String(stats.year);
  return `${stats.year - YEARS_SHOWN + 1}-${stats.year}`;
}

function StatisticsSkeleton({ label }: { label: string }) {
  return (
    <div className={styles.skeleton} data-testid="statistics-loading">
      <Spinner label={label} />
      <span aria-hidden="true">{label}</span>
    </div>
  );
}
