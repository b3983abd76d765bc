import { DomainError } from "@/lib/errors";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { getBalance } from "@/lib/ledger/get-balance";
import { getMandate } from "@/lib/mandates/get-mandate";
import { compare, toMoney } from "@/lib/money/money";
import { getRechargeStatus, type RechargeStatus } from "@/lib/recharge/recharge-status";
import { getBillingSettings } from "@/lib/settings/get-billing-settings";
import { getStatistics } from "@/lib/stats/get-statistics";
import { currentBusinessMonth } from "./business-dates";
import { listTransactionViews, type TransactionView } from "./list-transaction-views";
import { seesPool, type DashboardViewer } from "./viewer";

const RECENT_TRANSACTIONS = 10;

export interface PoolOverview {
  balance: string;
  currency: string;
  warningThreshold: string;
  /** warningThreshold is this percentage ("10.00") of budget (README "Budget and warning threshold"). */
  warningThresholdPercent: string;
  budget: string;
  /** balance < the pool account's warningThreshold (lib/ledger/get-balance.ts). */
  isWarning: boolean;
  enabled: boolean;
}

export interface ProviderShare {
  /** Provider id as booked; "unknown" for debits without one (storage). */
  provider: string;
  amount: string;
  /** Share of the month's cost in percent, one decimal, as a string for CSS widths ("42.5"). */
  percent: string;
}

export interface MonthUsage {
  year: number;
  month: number;
  currency: string;
  totalCost: string;
  transactionCount: number;
  /** Largest first. */
  byProvider: ProviderShare[];
}

export interface Overview {
  mandateName: string;
  /** "pool": the mandate's figures (OWNER, ADMIN); "own": the viewer's audit account (MEMBER). */
  scope: "pool" | "own";
  /** Null for a MEMBER: the pool's balance is not theirs to see. */
  pool: PoolOverview | null;
  /** Null for a MEMBER, and for a mandate without a settings row. */
  autoRecharge: RechargeStatus | null;
  month: MonthUsage;
  recent: TransactionView[];
}

/**
 * Everything the overview shows, read in parallel (one round of queries, no waterfall). A
 * MEMBER gets their own audit account's figures only; the pool's reads are not even made.
 */
export async function getOverview(viewer: DashboardViewer, now: Date = new Date()): Promise<Overview> {
  const pool = seesPool(viewer);
  const { year, month } = currentBusinessMonth(now);
  const [mandate, balance, account, settings, recharge, stats, recent] = await Promise.all([
    getMandate(viewer.mandateId),
    pool ? getBalance(viewer.mandateId) : null,
    pool ? getPoolAccount(viewer.mandateId) : null,
    pool ? getBillingSettings(viewer.mandateId) : null,
    pool ? getRechargeStatus(viewer.mandateId) : null,
    getStatistics({
      mandateId: viewer.mandateId,
      period: "DAY",
      year,
      month,
      userId: pool ? undefined : viewer.userId,
    }),
    listTransactionViews(viewer, {}, RECENT_TRANSACTIONS),
  ]);
  if (!mandate) throw new DomainError("NOT_FOUND", "mandate not found");
  return {
    mandateName: mandate.name,
    scope: pool ? "pool" : "own",
    pool:
      balance && account
        ? {
            balance: balance.balance,
            currency: balance.currency,
            warningThreshold: balance.warningThreshold,
            warningThresholdPercent: settings?.values.warningThresholdPercent ?? "0.00",
            budget: account.budget,
            isWarning: balance.isWarning,
            enabled: account.enabled,
          }
        : null,
    autoRecharge: recharge,
    month: {
      year,
      month,
      currency: stats.currency,
      totalCost: stats.totals.totalCost,
      transactionCount: stats.totals.transactionCount,
      byProvider: providerShares(stats.totals.byProvider, stats.totals.totalCost),
    },
    recent: recent.items,
  };
}

/** Providers by cost, largest first, with their share of the total (exact decimal arithmetic). */
export function providerShares(byProvider: Record<string, string>, total: string): ProviderShare[] {
  const zeroTotal = compare(total, "0") === 0;
  return Object.entries(byProvider)
    .sort(([aKey, a], [bKey, b]) => compare(b, a) || aKey.localeCompare(bKey))
    .map(([provider, amount]) => ({
      provider,
      amount,
      percent: zeroTotal ? "0.0" : toMoney(amount).times(100).dividedBy(toMoney(total)).toFixed(1),
    }));
}
