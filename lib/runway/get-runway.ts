import { prisma } from "@/lib/db/client";
import { currentBusinessMonth, zurichDate } from "@/lib/dashboard/business-dates";
import { seesPool, type DashboardViewer } from "@/lib/dashboard/viewer";
import { compare, toMoney, toMoneyString } from "@/lib/money/money";
import { PENDING_READ_LIMIT } from "@/lib/stats/get-statistics";
import {
  forecastRunway,
  runwayReadFrom,
  type DailySpend,
  type RechargeTerms,
  type Runway,
  type RunwayInputs,
} from "./forecast-runway";
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
  charge_amount: string | null;
  crossing_unanswered: boolean | null;
  in_flight_amount: string | null;
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
             s.auto_recharge_switched_off_at IS NOT NULL AS switched_off,
             round(s.recharge_amount_chf, 2)::text AS charge_amount,
             (SELECT c.recharge_outcome IS NULL FROM pool_threshold_crossing c
               WHERE c.mandate_id = a.mandate_id ORDER BY c.crossed_at DESC LIMIT 1) AS crossing_unanswered,
             (SELECT sum(p.amount)::text FROM payment p
               WHERE p.mandate_id = a.mandate_id AND p.kind = 'AUTO_RECHARGE'
                 AND p.status IN ('PENDING', 'PROCESSING')) AS in_flight_amount
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
    ...pendingRecharge(pool, threshold),
    now,
    currency: pool.currency,
    balance: pool.balance,
    warningThreshold: threshold,
    budget,
    warningThresholdPercent: pool.percent ?? "0",
    dailySpend: days.filter((d): d is DailySpend & { complete: boolean } => d.date != null && d.amount != null),
    complete: days[0]?.complete ?? true,
  });
}

/**
 * The recharge terms, with a recharge that is decided but not yet in the balance: the charge
 * under way at Stripe (already counted this month), or the newest crossing's, whose job has not
 * run yet and will charge (auto-recharge on with a card, the pool still below the threshold, the
 * cap not reached; it counts once charged). The warning e-mail is written at that very moment.
 */
function pendingRecharge(pool: PoolRow, threshold: string): Pick<RunwayInputs, "recharge"> {
  if (pool.enabled === null) return { recharge: null };
  const terms: RechargeTerms = {
    enabled: pool.enabled,
    hasCard: pool.has_card ?? false,
    switchedOff: pool.switched_off ?? false,
    amount: pool.amount ?? "0",
    maxPerMonth: pool.max_per_month ?? 0,
    usedThisMonth: pool.used_this_month ?? 0,
  };
  if (!terms.enabled || !terms.hasCard) return { recharge: terms };
  if (pool.in_flight_amount !== null) return { recharge: { ...terms, pendingAmount: pool.in_flight_amount } };
  const due =
    pool.crossing_unanswered === true &&
    compare(pool.balance, threshold) < 0 &&
    terms.usedThisMonth < terms.maxPerMonth &&
    pool.charge_amount !== null;
  return {
    recharge: due
      ? { ...terms, usedThisMonth: terms.usedThisMonth + 1, pendingAmount: pool.charge_amount ?? "0" }
      : terms,
  };
}
