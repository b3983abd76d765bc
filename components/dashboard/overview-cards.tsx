import Link from "next/link";
import type { ReactNode } from "react";
import { monthTitle, providerName } from "@/components/display/display-names";
import { seriesColor } from "@/components/display/series-color";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { MoneyText } from "@/components/ui/money-text";
import { TransactionTable } from "@/components/transactions/transaction-table";
import type { AutoRechargeOverview, MonthUsage, PoolOverview } from "@/lib/dashboard/get-overview";
import type { TransactionView } from "@/lib/dashboard/list-transaction-views";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import { formatMoney } from "@/lib/money/format";
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
        />
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
}: {
  autoRecharge: AutoRechargeOverview | null;
  currency: string;
  locale: Locale;
}) {
  const t = getTranslator(locale, "billing");
  return (
    <Card title={t("overview.autoRecharge")} data-testid="auto-recharge">
      {autoRecharge ? (
        <>
          <p className={styles.figure}>
            <Badge tone={autoRecharge.enabled ? "ok" : "neutral"}>
              {t(autoRecharge.enabled ? "overview.autoRechargeOn" : "overview.autoRechargeOff")}
            </Badge>
          </p>
          <p className={styles.hint}>
            {t("overview.autoRechargeAmount", { amount: formatMoney(autoRecharge.amount, locale, currency) })}
          </p>
          <p className={styles.hint}>
            {t("overview.autoRechargeUsed", { used: autoRecharge.usedThisMonth, max: autoRecharge.maxPerMonth })}
          </p>
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
