import Link from "next/link";
import type { ReactNode } from "react";
import { monthTitle, providerName } from "@/components/display/display-names";
import { seriesColor } from "@/components/display/series-color";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { MoneyText } from "@/components/ui/money-text";
import { TransactionTable } from "@/components/transactions/transaction-table";
import type { MonthUsage, PoolOverview } from "@/lib/dashboard/get-overview";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { cardLabel } from "@/lib/payments/card-label";
import type { RechargeStatus } from "@/lib/recharge/recharge-status";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import { formatMoney } from "@/lib/money/format";
import { formatDecimal } from "@/components/settings/format-setting-value";
import styles from "./dashboard.module.css";

/** The overview's widgets; server components, rendered with the page's first paint. */

export function PoolBalanceCard({
  pool,
  locale,
  action,
}: {
  pool: PoolOverview;
  locale: Locale;
  /** What may be done about the balance (the top-up button), for those allowed to. */
  action?: ReactNode;
}) {
  const t = getTranslator(locale, "billing");
  return (
    <Card title={t("overview.poolBalance")} className={pool.isWarning ? styles.warningCard : undefined}>
      <p className={styles.figure}>
        <MoneyText amount={pool.balance} currency={pool.currency} locale={locale} data-testid="pool-balance" />
      </p>
      {pool.isWarning ? (
        <p className={styles.badgeLine}>
          <Badge tone="warn">
            <span data-testid="pool-warning">{t("overview.belowThreshold")}</span>
          </Badge>
        </p>
      ) : null}
      <p className={styles.hint}>
        {t("overview.warningThreshold")}:{" "}
        <MoneyText
          amount={pool.warningThreshold}
          currency={pool.currency}
          locale={locale}
          data-testid="warning-threshold"
        />{" "}
        <span title={t("overview.budgetHint")} data-testid="warning-threshold-budget">
          (
          {t("overview.thresholdOfBudget", {
            percent: formatDecimal(pool.warningThresholdPercent, locale),
            budget: formatMoney(pool.budget, locale, pool.currency),
          })}
          )
        </span>
      </p>
      <p className={styles.hint}>{t("overview.poolBalanceHint")}</p>
      {pool.enabled ? null : <Badge tone="danger">{t("overview.accountDisabled")}</Badge>}
      {action ? <p className={styles.badgeLine}>{action}</p> : null}
    </Card>
  );
}

export function AutoRechargeCard({
  autoRecharge,
  currency,
  locale,
  settingsHref,
}: {
  autoRecharge: RechargeStatus | null;
  currency: string;
  locale: Locale;
  /** The recharge settings, for those who may change them. */
  settingsHref?: string;
}) {
  const t = getTranslator(locale, "billing");
  const card = cardLabel(autoRecharge?.card);
  const failure = autoRecharge?.lastFailure;
  const failuresLeft = autoRecharge ? autoRecharge.failuresToSwitchOff - autoRecharge.failuresInRow : 0;
  return (
    <Card title={t("overview.autoRecharge")} data-testid="auto-recharge">
      {autoRecharge ? (
        <>
          <p className={styles.figure}>
            <Badge tone={autoRecharge.enabled ? "ok" : autoRecharge.switchedOffAt ? "danger" : "neutral"}>
              <span data-testid="auto-recharge-state">
                {t(autoRecharge.enabled ? "overview.autoRechargeOn" : "overview.autoRechargeOff")}
              </span>
            </Badge>
          </p>
          <p className={styles.hint} data-testid="auto-recharge-card">
            {card ? t("overview.autoRechargeCard", { card }) : t("overview.autoRechargeNoCard")}
          </p>
          <p className={styles.hint}>
            {t("overview.autoRechargeAmount", { amount: formatMoney(autoRecharge.amount, locale, currency) })}
          </p>
          <p className={styles.hint} data-testid="auto-recharge-month">
            {t("overview.autoRechargeUsed", { used: autoRecharge.thisMonth, max: autoRecharge.maxPerMonth })}
          </p>
          {autoRecharge.inFlight ? <p className={styles.hint}>{t("overview.autoRechargeInFlight")}</p> : null}
          {autoRecharge.switchedOffAt ? (
            <p className={styles.hint} data-testid="auto-recharge-switched-off">
              {t("overview.autoRechargeSwitchedOff", {
                date: formatDateTime(autoRecharge.switchedOffAt, locale),
                count: autoRecharge.failuresToSwitchOff,
              })}
            </p>
          ) : null}
          {failure ? (
            <div role="status" data-testid="auto-recharge-failure" data-reason={failure.reason}>
              <p className={styles.hint}>
                {t("overview.autoRechargeLastFailure", {
                  amount: formatMoney(failure.amount, locale, currency),
                  date: formatDateTime(failure.at, locale),
                })}{" "}
                {t(`overview.autoRechargeFailure.${failure.reason}`)}
              </p>
              {autoRecharge.enabled && failuresLeft > 0 ? (
                <p className={styles.hint}>{t("overview.autoRechargeFailuresLeft", { count: failuresLeft })}</p>
              ) : null}
            </div>
          ) : null}
          {settingsHref ? (
            <p className={styles.hint}>
              <Link href={settingsHref}>{t("overview.autoRechargeSettingsLink")}</Link>
            </p>
          ) : null}
        </>
      ) : (
        <p className={styles.hint}>{t("overview.autoRechargeNotSet")}</p>
      )}
    </Card>
  );
}

export function MonthUsageCard({ usage, own, locale }: { usage: MonthUsage; own: boolean; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  const month = monthTitle(usage.year, usage.month, locale);
  return (
    <Card title={t(own ? "overview.monthCostOwn" : "overview.monthCost", { month })} data-testid="month-usage">
      <p className={styles.figure}>
        <MoneyText amount={usage.totalCost} currency={usage.currency} locale={locale} data-testid="month-cost" />
      </p>
      <p className={styles.hint}>{t("overview.monthCount", { count: usage.transactionCount })}</p>
      {usage.byProvider.length === 0 ? (
        <p className={styles.hint}>{t("overview.noUsageMonth")}</p>
      ) : (
        <>
          <h3 className={styles.subTitle}>{t("overview.providerSplit")}</h3>
          <ul className={styles.split} data-testid="provider-split">
            {usage.byProvider.map((share) => (
              <li key={share.provider} data-provider={share.provider}>
                <span className={styles.splitName}>
                  {providerName(t, share.provider)}
                  <span className={styles.splitPercent}>{share.percent} %</span>
                </span>
                <MoneyText
                  amount={share.amount}
                  currency={usage.currency}
                  locale={locale}
                  className={styles.splitAmount}
                />
                <span className={styles.splitTrack} aria-hidden="true">
                  <span
                    className={styles.splitBar}
                    style={{ width: `${share.percent}%`, background: seriesColor(share.provider) }}
                  />
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

export function RecentTransactionsCard({
  rows,
  own,
  showBalance,
  transactionsHref,
  locale,
}: {
  rows: TransactionView[];
  own: boolean;
  showBalance: boolean;
  transactionsHref: string;
  locale: Locale;
}) {
  const t = getTranslator(locale, "billing");
  const title = t(own ? "overview.recentOwn" : "overview.recent");
  return (
    <Card title={title} className={styles.wide} data-testid="recent-transactions">
      {rows.length === 0 ? (
        <EmptyState title={t("overview.recentEmpty")} />
      ) : (
        <TransactionTable
          rows={rows}
          locale={locale}
          t={t}
          label={title}
          columns={[
            "bookedAt",
            "createdAt",
            "transactionType",
            "description",
            "createdByUserId",
            "amount",
            ...(showBalance ? (["balanceAfter"] as const) : []),
          ]}
        />
      )}
      <p className={styles.more}>
        <Link href={transactionsHref}>{t("overview.allTransactions")}</Link>
      </p>
    </Card>
  );
}
