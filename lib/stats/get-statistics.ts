import { prisma } from "@/lib/db/client";
import type { PeriodType } from "@/lib/db/generated/enums";
import { DomainError } from "@/lib/errors";
import { resolvePoolOrAuditAccount } from "@/lib/ledger/accounts";
import { add, toMoneyString } from "@/lib/money/money";
import { periodBuckets } from "./business-calendar";

/**
 * A mandate's usage cost per day, month or year, for the dashboard chart. Read from the rolled-up
 * usage_statistics of the pool account plus the debits still queued for the roll-up, in one
 * statement (one snapshot), so the answer is exact at any moment: a debit is in exactly one of
 * the two, and the roll-up moves it in a single transaction. Never aggregates the ledger itself,
 * so the cost does not grow with the mandate's number of transactions.
 */
export interface GetStatisticsOptions {
  mandateId: string;
  period: PeriodType;
  year: number;
  /** 1-12; required for DAY, ignored otherwise. */
  month?: number | null;
  /**
   * Statistics of this user's audit account in the mandate instead of the pool: what the user
   * spent (a member's own view). A user who never spent has no audit account: zeros.
   */
  userId?: string;
  /** Defaults to PENDING_READ_LIMIT; tests lower it to see the incomplete answer. */
  pendingReadLimit?: number;
}

/** Decimal strings per provider or feature; debits without one are under "unknown". */
export type CostBreakdown = Record<string, string>;

/**
 * The byFeature key of usage booked without a feature code (it is optional): the roll-up's
 * usage_breakdown_key(NULL). The UI shows it as "no feature" (billing `features.unknown`).
 */
export const NO_FEATURE = "unknown";

export interface StatisticsPoint {
  label: string;
  totalCost: string;
  transactionCount: number;
  byProvider: CostBreakdown;
}

export interface BillingStatistics {
  mandateId: string;
  period: PeriodType;
  year: number;
  month: number | null;
  currency: string;
  /**
   * True: every debit booked before the request is counted. False only while the roll-up is
   * more than PENDING_READ_LIMIT queue rows behind: the figures are then those of the last roll-up.
   */
  complete: boolean;
  data: StatisticsPoint[];
  totals: { totalCost: string; transactionCount: number; byProvider: CostBreakdown; byFeature: CostBreakdown };
}

/** Queue rows (sums of debits) a read adds at most; beyond, it reports the rolled-up figures alone. */
export const PENDING_READ_LIMIT = 5_000;

interface UsageRow {
  period_start: string;
  total: string;
  count: number;
  by_provider: unknown;
  by_feature: unknown;
}

export async function getStatistics(opts: GetStatisticsOptions): Promise<BillingStatistics> {
  const month = requireStatisticsMonth(opts.period, opts.month);
  const account = await resolvePoolOrAuditAccount(opts.mandateId, opts.userId);
  const buckets = periodBuckets(opts.period, opts.year, month);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (!first || !last) throw new Error("a statistic has at least one period");
  const { rows, complete } = account.accountId
    ? await readUsage(
        account.accountId,
        opts.period,
        first.start,
        last.start,
        opts.pendingReadLimit ?? PENDING_READ_LIMIT,
      )
    : { rows: [], complete: true };
  const byStart = new Map(rows.map((row) => [row.period_start, row]));

  const totals: BillingStatistics["totals"] = {
    totalCost: toMoneyString("0"),
    transactionCount: 0,
    byProvider: {},
    byFeature: {},
  };
  const data = buckets.map(({ start, label }): StatisticsPoint => {
    const row = byStart.get(start);
    if (!row) return { label, totalCost: toMoneyString("0"), transactionCount: 0, byProvider: {} };
    const byProvider = toBreakdown(row.by_provider);
    totals.totalCost = toMoneyString(add(totals.totalCost, row.total));
    totals.transactionCount += row.count;
    totals.byProvider = addBreakdowns(totals.byProvider, byProvider);
    totals.byFeature = addBreakdowns(totals.byFeature, toBreakdown(row.by_feature));
    return { label, totalCost: toMoneyString(row.total), transactionCount: row.count, byProvider };
  });

  return {
    mandateId: opts.mandateId,
    period: opts.period,
    year: opts.year,
    month,
    currency: account.currency,
    complete,
    data,
    totals,
  };
}

/** The month a statistic is about: required (1-12) for DAY, none otherwise. */
export function requireStatisticsMonth(period: PeriodType, month: number | null | undefined): number | null {
  if (period !== "DAY") return null;
  if (month === null || month === undefined || month < 1 || month > 12) {
    throw new DomainError("VALIDATION_FAILED", "a DAY statistic needs a month (1-12)", [
      { path: "month", message: "required for period DAY" },
    ]);
  }
  return month;
}

/**
 * Cost per period start in [from, to] (local dates) for one account: rolled-up rows plus the
 * queued sums not rolled up yet, in one statement (one snapshot). The queue holds the sums of
 * every mandate booked since the last roll-up (about a second's worth); its rows carry their
 * account, day, provider and feature, so they are read without touching the ledger. Should the
 * roll-up fall behind by more than PENDING_READ_LIMIT queue rows, they are skipped and the answer
 * says it is incomplete rather than getting slower with the backlog.
 */
async function readUsage(
  accountId: string,
  period: PeriodType,
  from: string,
  to: string,
  pendingReadLimit: number,
): Promise<{ rows: UsageRow[]; complete: boolean }> {
  const rows = await prisma.$queryRaw<(Partial<UsageRow> & { complete: boolean })[]>`
    WITH queued AS MATERIALIZED (
      SELECT account_id, day, provider, feature, amount, transaction_count
        FROM usage_rollup_queue LIMIT ${pendingReadLimit + 1}
    ), backlog AS (
      SELECT count(*) <= ${pendingReadLimit} AS complete FROM queued
    ), rolled AS (
      SELECT period_start, total_cost_chf AS amount, transaction_count AS cnt, cost_by_provider, cost_by_feature
        FROM usage_statistics
       WHERE account_id = ${accountId}::uuid AND period_type = ${period}::"PeriodType"
         AND period_start BETWEEN ${from}::date AND ${to}::date
    ), pending AS (
      SELECT usage_day_period_start(q.day, ${period}::"PeriodType") AS period_start, q.amount,
             q.transaction_count AS cnt, q.provider, q.feature
        FROM queued q
       WHERE q.account_id = ${accountId}::uuid AND (SELECT complete FROM backlog)
    ), pending_in_range AS (
      SELECT * FROM pending WHERE period_start BETWEEN ${from}::date AND ${to}::date
    ), totals AS (
      SELECT period_start, sum(amount) AS amount, sum(cnt) AS cnt
        FROM (SELECT period_start, amount, cnt FROM rolled
              UNION ALL SELECT period_start, amount, cnt FROM pending_in_range) x
       GROUP BY period_start
    ), breakdowns AS (
      SELECT period_start, dim, jsonb_object_agg(key, amount::numeric(30,6)::text) AS breakdown
        FROM (SELECT period_start, dim, key, sum(amount) AS amount
                FROM (SELECT r.period_start, 'provider' AS dim, e.key, e.value::numeric AS amount
                        FROM rolled r CROSS JOIN jsonb_each_text(r.cost_by_provider) e
                      UNION ALL
                      SELECT r.period_start, 'feature', e.key, e.value::numeric
                        FROM rolled r CROSS JOIN jsonb_each_text(r.cost_by_feature) e
                      UNION ALL SELECT period_start, 'provider', provider, amount FROM pending_in_range
                      UNION ALL SELECT period_start, 'feature', feature, amount FROM pending_in_range) x
               GROUP BY period_start, dim, key) s
       GROUP BY period_start, dim
    )
    SELECT b.complete,
           to_char(t.period_start, 'YYYY-MM-DD') AS period_start,
           t.amount::numeric(30,6)::text AS total,
           t.cnt::int AS count,
           coalesce(p.breakdown, '{}'::jsonb) AS by_provider,
           coalesce(f.breakdown, '{}'::jsonb) AS by_feature
      FROM backlog b
      LEFT JOIN totals t ON TRUE
      LEFT JOIN breakdowns p ON p.period_start = t.period_start AND p.dim = 'provider'
      LEFT JOIN breakdowns f ON f.period_start = t.period_start AND f.dim = 'feature'
     ORDER BY t.period_start`;
  // Always one row at least (the backlog's); a period without usage has no row.
  return {
    complete: rows[0]?.complete ?? true,
    rows: rows.filter((row): row is UsageRow & { complete: boolean } => row.period_start != null),
  };
}

function toBreakdown(value: unknown): CostBreakdown {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("breakdown is not an object");
  const out: CostBreakdown = {};
  for (const [key, amount] of Object.entries(value)) {
    if (typeof amount !== "string") throw new Error(`breakdown amount for ${key} is not a decimal string`);
    out[key] = toMoneyString(amount);
  }
  return out;
}

function addBreakdowns(a: CostBreakdown, b: CostBreakdown): CostBreakdown {
  const out: CostBreakdown = { ...a };
  for (const [key, amount] of Object.entries(b)) out[key] = toMoneyString(add(out[key] ?? "0", amount));
  return out;
}
