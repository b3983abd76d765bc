import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { compare } from "@/lib/money/money";
import { transactionRow, type DriftRow } from "./drift";
import { inScope, type MandateDrift, type MandateScope } from "./ledger-drifts";

/**
 * (d) User audit accounts against the pool's usage. ledger_post_usage books an attributed AI call
 * twice in one statement: a DEBIT (reference WORKFLOW, created_by_user_id the user) on the pool
 * and the same DEBIT, under the same idempotency key, on that user's audit account. Nothing else
 * writes to an audit account. So per user, the audit account's debits add up to the pool's usage
 * debits naming that user, and the audit account holds nothing but such debits.
 */
export interface AuditUsageSum {
  mandateId: string;
  userId: string;
  auditAccountId: string | null;
  poolTotal: string;
  poolCount: number;
  auditTotal: string;
  auditCount: number;
  /** Transactions on the audit account that are no usage debit. */
  auditOther: number;
}

export async function readAuditUsageSums(scope: MandateScope): Promise<AuditUsageSum[]> {
  const rows = await prisma.$queryRaw<
    {
      mandate_id: string;
      user_id: string;
      account_id: string | null;
      pool_total: string;
      pool_count: number;
      audit_total: string;
      audit_count: number;
      audit_other: number;
    }[]
  >`
    WITH pool AS (
      SELECT t.mandate_id, t.created_by_user_id AS user_id, sum(t.amount) AS total, count(*) AS n
        FROM billing_transaction t
        JOIN billing_account a ON a.id = t.account_id AND a.user_id IS NULL
       WHERE t.transaction_type = 'DEBIT' AND t.reference_type = 'WORKFLOW' AND t.created_by_user_id IS NOT NULL
         AND ${inScope(Prisma.sql`t.mandate_id`, scope)}
       GROUP BY t.mandate_id, t.created_by_user_id),
    audit AS (
      SELECT a.mandate_id, a.user_id, a.id AS account_id,
             coalesce(sum(t.amount) FILTER (WHERE t.transaction_type = 'DEBIT' AND t.reference_type = 'WORKFLOW'), 0) AS total,
             count(t.id) FILTER (WHERE t.transaction_type = 'DEBIT' AND t.reference_type = 'WORKFLOW') AS n,
             count(t.id) FILTER (WHERE t.transaction_type <> 'DEBIT' OR t.reference_type IS DISTINCT FROM 'WORKFLOW') AS other
        FROM billing_account a
        LEFT JOIN billing_transaction t ON t.account_id = a.id
       WHERE a.user_id IS NOT NULL AND ${inScope(Prisma.sql`a.mandate_id`, scope)}
       GROUP BY a.id)
    SELECT coalesce(p.mandate_id, u.mandate_id) AS mandate_id, coalesce(p.user_id, u.user_id) AS user_id,
           u.account_id, coalesce(p.total, 0)::numeric(30,6)::text AS pool_total, coalesce(p.n, 0)::int AS pool_count,
           coalesce(u.total, 0)::numeric(30,6)::text AS audit_total, coalesce(u.n, 0)::int AS audit_count,
           coalesce(u.other, 0)::int AS audit_other
      FROM pool p
      FULL JOIN audit u ON u.mandate_id = p.mandate_id AND u.user_id = p.user_id
     ORDER BY 1, 2`;
  return rows.map((r) => ({
    mandateId: r.mandate_id,
    userId: r.user_id,
    auditAccountId: r.account_id,
    poolTotal: r.pool_total,
    poolCount: r.pool_count,
    auditTotal: r.audit_total,
    auditCount: r.audit_count,
    auditOther: r.audit_other,
  }));
}

export function auditSumMismatches(sums: readonly AuditUsageSum[]): AuditUsageSum[] {
  return sums.filter(
    (s) => compare(s.poolTotal, s.auditTotal) !== 0 || s.poolCount !== s.auditCount || s.auditOther > 0,
  );
}

/** At most this many unpaired transactions are listed per user; the sums say how far it is off. */
const UNPAIRED_ROWS = 50;

/**
 * The drift of each mismatched user, with the transactions that have no twin: pool usage debits
 * naming the user without the same debit (key and amount) on the audit account, and audit
 * account rows without their pool debit.
 */
export async function auditDrifts(mismatches: readonly AuditUsageSum[]): Promise<MandateDrift[]> {
  const drifts: MandateDrift[] = [];
  for (const s of mismatches) {
    const unpaired = await prisma.$queryRaw<{ side: "pool" | "audit"; id: string; amount: string; key: string }[]>`
      (SELECT 'pool' AS side, t.id, t.amount::text AS amount, t.idempotency_key AS key
         FROM billing_transaction t
         JOIN billing_account a ON a.id = t.account_id AND a.user_id IS NULL
        WHERE t.mandate_id = ${s.mandateId}::uuid AND t.created_by_user_id = ${s.userId}::uuid
          AND t.transaction_type = 'DEBIT' AND t.reference_type = 'WORKFLOW'
          AND NOT EXISTS (SELECT 1 FROM billing_transaction x
                           WHERE x.account_id = ${s.auditAccountId}::uuid AND x.idempotency_key = t.idempotency_key
                             AND x.transaction_type = 'DEBIT' AND x.amount = t.amount)
        LIMIT ${UNPAIRED_ROWS})
      UNION ALL
      (SELECT 'audit', x.id, x.amount::text, x.idempotency_key
         FROM billing_transaction x
        WHERE x.account_id = ${s.auditAccountId}::uuid
          AND NOT (x.transaction_type = 'DEBIT' AND x.reference_type = 'WORKFLOW' AND EXISTS (
                SELECT 1 FROM billing_transaction t
                  JOIN billing_account a ON a.id = t.account_id AND a.user_id IS NULL
                 WHERE t.mandate_id = ${s.mandateId}::uuid AND t.idempotency_key = x.idempotency_key
                   AND t.created_by_user_id = ${s.userId}::uuid AND t.transaction_type = 'DEBIT'
                   AND t.reference_type = 'WORKFLOW' AND t.amount = x.amount))
        LIMIT ${UNPAIRED_ROWS})`;
    const rows: DriftRow[] = [
      ...(s.auditAccountId
        ? [{ source: "billing_account" as const, id: s.auditAccountId, amount: s.auditTotal, note: `user ${s.userId}` }]
        : []),
      ...unpaired.map((u) =>
        transactionRow(
          u.id,
          u.amount,
          `${u.side === "pool" ? "pool debit without audit twin" : "audit row without pool debit"}, key ${u.key}`,
        ),
      ),
    ];
    drifts.push({
      mandateId: s.mandateId,
      drift: {
        kind: "AUDIT_USAGE_MISMATCH",
        message:
          `user ${s.userId}: the pool's usage debits naming them sum to ${s.poolTotal} (${s.poolCount}), ` +
          `their audit account's debits to ${s.auditTotal} (${s.auditCount})` +
          (s.auditOther > 0 ? `, and it holds ${s.auditOther} transactions that are no usage debit` : ""),
        rows,
      },
    });
  }
  return drifts;
}
