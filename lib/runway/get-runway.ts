import { prisma } from "@/lib/db/client";
import { currentBusinessMonth, zurichDate } from "@/lib/dashboard/business-dates";
import { seesPool, type DashboardViewer } from "@/lib/dashboard/viewer";
import { toMoney, toMoneyString } from "@/lib/money/money";
import { PENDING_READ_LIMIT } from "@/lib/stats/get-statistics";
import { forecastRunway, runwayReadFrom, type DailySpend, type Runway } from "./forecast-runway";
import { thresholdOf } from "./project-empty-date";
import { firstOfMonth, monthStartInstant } from "./runway-calendar";

interface PoolRow {
  balance: string;
  currency: string;
  warning_threshold: string;
  budget: string;
  budget_month: string | null;
  percent: string | null;
  enabled: boolean | null;
  has_card: boolean | null;
  amount: string | null;
  max_per_month: number | null;
  used_this_month: number | null;
  switched_off: boolean | null;
}

/**
 * The runway of the viewer's mandate; null for a MEMBER (the pool's figures are not theirs to
 * see) and for a mandate without a pool.
 */
export async function getRunway(viewer: DashboardViewer, now: Date = new Date()): Promise<Runway | null> {
  if (!seesPool(viewer)) return null;
  return loadRunway(viewer.mandateId, now);
}

/**
 * Two statements in parallel, neither of which grows with the ledger: the pool account with its
 * settings, and the pool's debits per Zurich day from the statistics roll-up (usage_statistics,
 * DAY rows, plus the debits still queued for it, as get-statistics.ts reads them) since the
 * earlier of 30 days back and last month's first day: at most about 62 rows.
 */
export async function loadRunway(mandateId: string, now: Date = new Date()): Promise<Runway | null> {
  const from = runwayReadFrom(now);
  const to = zurichDate(now);
  const monthStart = monthStartInstant(currentBusinessMonth(now));
  const [pools, days] = await Promise.all([
    prisma.$queryRaw<PoolRow[]>`
      SELECT a.balance::text, a.currency, a.warning_threshold::text, a.budget::text,
             to_char(a.budget_month, 'YYYY-MM-DD') AS budget_month,
             s.warning_threshold_percent::text AS percent, s.auto_recharge_enabled AS enabled,
             s.stripe_payment_method_id IS NOT NULL AS has_card, s.recharge_amount_chf::text AS amount,
             s.recharge_max_per_month AS max_per_month,
             CASE WHEN s.month_reset_at >= ${monthStart.toISOString()}::timestamptz THEN s.recharges_this_month ELSE 0 END AS used_this_month,
             s.auto_recharge_switched_off_at IS NOT NULL AS switched_off
        FROM billing_account a
        LEFT JOIN billing_settings s ON s.mandate_id = a.mandate_id
       WHERE a.mandate_id = ${mandateId}::uuid AND a.user_id IS NULL`,
    prisma.$queryRaw<(Partial<DailySpend> & { complete: boolean })[]>`
      WITH queued AS MATERIALIZED (
        SELECT account_id, day, amount FROM usage_rollup_queue LIMIT ${PENDING_READ_LIMIT + 1}
      ), backlog AS (
        SELECT count(*) <= ${PENDING_READ_LIMIT} AS complete FROM queued
      ), pool AS (
        SELECT id FROM billing_account WHERE mandate_id = ${mandateId}::uuid AND user_id IS NULL
      ), spent AS (
        SELECT s.period_start AS day, s.total_cost_chf AS amount
          FROM usage_statistics s JOIN pool p ON p.id = s.account_id
         WHERE s.period_type = 'DAY' AND s.period_start BETWEEN ${from}::date AND ${to}::date
        UNION ALL
        SELECT q.day, q.amount
          FROM queued q JOIN pool p ON p.id = q.account_id
         WHERE (SELECT complete FROM backlog) AND q.day BETWEEN ${from}::date AND ${to}::date
      ), per_day AS (
        SELECT day, sum(amount) AS amount FROM spent GROUP BY day
      )
      SELECT b.complete, to_char(d.day, 'YYYY-MM-DD') AS date, d.amount::numeric(30,6)::text AS amount
        FROM backlog b LEFT JOIN per_day d ON TRUE
       ORDER BY d.day`,
  ]);
  const pool = pools[0];
  if (!pool) return null;

  // Until the month's first booking (or the periodic roll) the stored budget is last month's;
  // the database would open this month with the balance (billing_budget_now()).
  const rolled = pool.budget_month === firstOfMonth(currentBusinessMonth(now));
  const budget = rolled ? pool.budget : toMoneyString(toMoney(pool.balance).isNegative() ? "0" : pool.balance);
  const threshold =
    rolled || pool.percent === null ? pool.warning_threshold : toMoneyString(thresholdOf(budget, pool.percent));

  return forecastRunway({
    now,
    currency: pool.currency,
    balance: pool.balance,
    warningThreshold: threshold,
    budget,
    warningThresholdPercent: pool.percent ?? "0",
    dailySpend: days.filter((d): d is DailySpend & { complete: boolean } => d.date != null && d.amount != null),
    recharge:
      pool.enabled === null
        ? null
        : {
            enabled: pool.enabled,
            hasCard: pool.has_card ?? false,
            switchedOff: pool.switched_off ?? false,
            amount: pool.amount ?? "0",
            maxPerMonth: pool.max_per_month ?? 0,
            usedThisMonth: pool.used_this_month ?? 0,
          },
    complete: days[0]?.complete ?? true,
  });
}
