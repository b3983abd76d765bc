import { prisma } from "@/lib/db/client";
import type { PeriodType } from "@/lib/db/generated/enums";
import { getUserNames } from "@/lib/dashboard/user-names";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids/uuid";
import { add, compare, isNegative, Money, sub, toMoney, toMoneyString } from "@/lib/money/money";
import { periodBuckets } from "./business-calendar";
import { UNATTRIBUTED, type CostBreakdown, type CostShare, type UserCostShare } from "./cost-share";
import { PENDING_READ_LIMIT, requireStatisticsMonth } from "./get-statistics";

export { UNATTRIBUTED, type CostBreakdown, type CostShare, type UserCostShare };

/**
 * Who and what spends a mandate's money over the statistics page's period: cost per user and
 * per AI model. Read like getStatistics, from usage_statistics plus the debits still queued, in
 * one statement (one snapshot), never from the ledger: a user's usage is their user audit
 * account's rows, the models are the cost_by_model breakdown. The period is read as one span
 * (a DAY view's month is one MONTH row per account, a MONTH view's year one YEAR row), so the
 * cost does not grow with the number of transactions or of days.
 */
export interface GetCostBreakdownOptions {
  mandateId: string;
  period: PeriodType;
  year: number;
  month?: number | null;
  /**
   * Only this user's figures: their own line and the models they used, never anyone else's or
   * the pool's (a MEMBER's view). Without it: every member and the pool's models.
   */
  userId?: string;
  pendingReadLimit?: number;
}

interface Row {
  complete: boolean;
  dim: "total" | "user" | "member" | "model" | null;
  key: string | null;
  amount: string | null;
  count: number | null;
}

export async function getCostBreakdown(opts: GetCostBreakdownOptions): Promise<CostBreakdown> {
  const month = requireStatisticsMonth(opts.period, opts.month);
  const buckets = periodBuckets(opts.period, opts.year, month);
  const from = buckets[0]?.start;
  const to = buckets[buckets.length - 1]?.start;
  if (!from || !to) throw new Error("a statistic has at least one period");
  const span: PeriodType = opts.period === "DAY" ? "MONTH" : "YEAR";
  const pool = await prisma.billingAccount.findFirst({
    where: { mandateId: opts.mandateId, userId: null },
    select: { id: true, currency: true },
  });
  if (!pool) throw new DomainError("NOT_FOUND", "mandate not found");
  const own = opts.userId !== undefined;
  // An id that cannot name a user sees an empty line of nobody: nothing matches it.
  const viewer = own && opts.userId && isUuid(opts.userId) ? opts.userId : null;
  if (own && viewer === null) {
    return { currency: pool.currency, complete: true, totalCost: toMoneyString("0"), byUser: [], byModel: [] };
  }
  const limit = opts.pendingReadLimit ?? PENDING_READ_LIMIT;
  const rows = await prisma.$queryRaw<Row[]>`
    WITH queued AS MATERIALIZED (
      SELECT account_id, day, model, amount, transaction_count FROM usage_rollup_queue LIMIT ${limit + 1}
    ), backlog AS (
      SELECT count(*) <= ${limit} AS complete FROM queued
    ), accounts AS MATERIALIZED (
      -- The account the totals and models are about (the pool, or the viewer's own) and the audit
      -- accounts whose lines are shown (every member's, or the viewer's own).
      SELECT a.id, a.user_id, (a.user_id IS NOT DISTINCT FROM ${viewer}::uuid) AS main
        FROM billing_account a
       WHERE a.mandate_id = ${opts.mandateId}::uuid
         AND (${viewer}::uuid IS NULL OR a.user_id = ${viewer}::uuid)
    ), rolled AS (
      SELECT s.account_id, s.total_cost_chf AS amount, s.transaction_count AS cnt, s.cost_by_model
        FROM usage_statistics s JOIN accounts a ON a.id = s.account_id
       WHERE s.period_type = ${span}::"PeriodType"
         AND s.period_start BETWEEN usage_day_period_start(${from}::date, ${span}::"PeriodType")
                                AND usage_day_period_start(${to}::date, ${span}::"PeriodType")
    ), pending AS (
      SELECT q.account_id, q.model, q.amount, q.transaction_count AS cnt
        FROM queued q JOIN accounts a ON a.id = q.account_id
       WHERE (SELECT complete FROM backlog)
         AND usage_day_period_start(q.day, ${span}::"PeriodType")
             BETWEEN usage_day_period_start(${from}::date, ${span}::"PeriodType")
                 AND usage_day_period_start(${to}::date, ${span}::"PeriodType")
    ), per_account AS (
      SELECT account_id, sum(amount) AS amount, sum(cnt) AS cnt
        FROM (SELECT account_id, amount, cnt FROM rolled UNION ALL SELECT account_id, amount, cnt FROM pending) x
       GROUP BY account_id
    ), lines AS (
      SELECT 'total' AS dim, NULL::text AS key, p.amount, p.cnt
        FROM per_account p JOIN accounts a ON a.id = p.account_id WHERE a.main
      UNION ALL
      SELECT 'user', a.user_id::text, p.amount, p.cnt
        FROM per_account p JOIN accounts a ON a.id = p.account_id WHERE a.user_id IS NOT NULL
      UNION ALL
      -- Members who spent nothing in the period still have their line (zero).
      SELECT 'member', m.user_id::text, 0, 0
        FROM membership m
       WHERE m.mandate_id = ${opts.mandateId}::uuid AND (${viewer}::uuid IS NULL OR m.user_id = ${viewer}::uuid)
      UNION ALL
      SELECT 'model', key, sum(amount), NULL
        FROM (SELECT e.key, e.value::numeric AS amount
                FROM rolled r JOIN accounts a ON a.id = r.account_id AND a.main
               CROSS JOIN jsonb_each_text(r.cost_by_model) e
              UNION ALL
              SELECT q.model, q.amount FROM pending q JOIN accounts a ON a.id = q.account_id AND a.main) x
       GROUP BY key
    )
    SELECT b.complete, l.dim, l.key, l.amount::numeric(30,6)::text AS amount, l.cnt::int AS count
      FROM backlog b LEFT JOIN lines l ON TRUE`;

  const complete = rows[0]?.complete ?? true;
  const lines = rows.filter((r): r is Row & { dim: NonNullable<Row["dim"]>; amount: string } => r.dim !== null);
  const totalRow = lines.find((r) => r.dim === "total");
  const totalCost = toMoneyString(totalRow?.amount ?? "0");
  const totalCount = totalRow?.count ?? 0;

  // Members without usage first, as zeros; a user's usage (also a former member's) replaces it.
  const users = new Map<string, { amount: string; count: number }>();
  for (const dim of ["member", "user"] as const) {
    for (const line of lines) {
      if (line.dim === dim && line.key)
        users.set(line.key, { amount: toMoneyString(line.amount), count: line.count ?? 0 });
    }
  }
  const names = await getUserNames(users.keys());
  const byUser: UserCostShare[] = [...users].map(([key, { amount, count }]) => ({
    key,
    name: names.get(key) ?? null,
    amount,
    share: shareOf(amount, totalCost),
    transactionCount: count,
  }));
  if (!own) {
    let attributed = toMoney("0");
    let attributedCount = 0;
    for (const line of byUser) {
      attributed = add(attributed, line.amount);
      attributedCount += line.transactionCount ?? 0;
    }
    const rest = sub(totalCost, attributed);
    if (!rest.isZero() && !isNegative(rest)) {
      byUser.push({
        key: UNATTRIBUTED,
        name: null,
        amount: toMoneyString(rest),
        share: shareOf(rest.toString(), totalCost),
        transactionCount: Math.max(0, totalCount - attributedCount),
      });
    }
  }
  byUser.sort(
    (a, b) => compare(b.amount, a.amount) || (a.name ?? "").localeCompare(b.name ?? "") || a.key.localeCompare(b.key),
  );

  const byModel: CostShare[] = lines
    .filter((line) => line.dim === "model" && line.key !== null)
    .map((line) => ({
      key: line.key ?? "",
      amount: toMoneyString(line.amount),
      share: shareOf(line.amount, totalCost),
      transactionCount: null,
    }))
    .sort((a, b) => compare(b.amount, a.amount) || a.key.localeCompare(b.key));

  return { currency: pool.currency, complete, totalCost, byUser, byModel };
}

/** The percentage of total, one decimal, half-even; "0.0" of a zero total. */
function shareOf(amount: string, total: string): string {
  const whole = toMoney(total);
  if (whole.isZero()) return "0.0";
  return toMoney(amount).times(100).div(whole).toDecimalPlaces(1, Money.ROUND_HALF_EVEN).toFixed(1);
}
