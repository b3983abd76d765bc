import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { compare, toMoney, toMoneyString } from "@/lib/money/money";
import { transactionRow, type Drift, type DriftRow } from "./drift";

/**
 * The ledger's side of reconciliation: what PostgreSQL alone can tell. Each check reads every
 * mandate in scope with one statement; the comparisons are pure functions over the rows read, so
 * a test can hand them a disagreement the ledger's guards would never let anyone plant.
 */

/** Null: every mandate. */
export type MandateScope = string[] | null;

export interface MandateDrift {
  mandateId: string;
  drift: Drift;
}

/** The SQL condition "this mandate column is in scope". */
export function inScope(column: Prisma.Sql, scope: MandateScope): Prisma.Sql {
  return scope === null ? Prisma.sql`TRUE` : Prisma.sql`${column} = ANY(${scope}::uuid[])`;
}

// ---------------------------------------------------------------------------------------------
// (a) balance == sum of the account's transactions

export interface AccountSum {
  accountId: string;
  mandateId: string;
  userId: string | null;
  balance: string;
  /** Credits and adjustments added, debits subtracted, computed in PostgreSQL (numeric, exact). */
  sum: string;
  count: number;
}

/** Every account in scope with its balance and the sum of its transactions (lib/ledger reconcileAccount, for all at once). */
export async function readAccountSums(scope: MandateScope): Promise<AccountSum[]> {
  const rows = await prisma.$queryRaw<
    { account_id: string; mandate_id: string; user_id: string | null; balance: string; sum: string; count: number }[]
  >`
    SELECT a.id AS account_id, a.mandate_id, a.user_id, a.balance::text AS balance,
           coalesce(t.sum, 0)::numeric(30,6)::text AS sum, coalesce(t.count, 0)::int AS count
      FROM billing_account a
      LEFT JOIN (SELECT account_id,
                        sum(CASE transaction_type WHEN 'DEBIT' THEN -amount ELSE amount END) AS sum,
                        count(*) AS count
                   FROM billing_transaction
                  WHERE ${inScope(Prisma.sql`mandate_id`, scope)}
                  GROUP BY account_id) t ON t.account_id = a.id
     WHERE ${inScope(Prisma.sql`a.mandate_id`, scope)}
     ORDER BY a.mandate_id, a.user_id NULLS FIRST`;
  return rows.map((r) => ({
    accountId: r.account_id,
    mandateId: r.mandate_id,
    userId: r.user_id,
    balance: r.balance,
    sum: r.sum,
    count: r.count,
  }));
}

export function balanceDrifts(accounts: readonly AccountSum[]): MandateDrift[] {
  return accounts
    .filter((a) => compare(a.balance, a.sum) !== 0)
    .map((a) => ({
      mandateId: a.mandateId,
      drift: {
        kind: "BALANCE_MISMATCH",
        message: `${a.userId ? `audit account of user ${a.userId}` : "pool account"} ${a.accountId}: balance ${a.balance}, its ${a.count} transactions sum to ${a.sum}`,
        rows: [{ source: "billing_account", id: a.accountId, amount: a.balance, note: `transactions sum to ${a.sum}` }],
      },
    }));
}

// ---------------------------------------------------------------------------------------------
// (b) payments, refunds and disputes against their transactions

/** A booked transaction as the payment checks need it (null columns: the transaction is missing). */
interface LinkedTransaction {
  tx_id: string | null;
  tx_type: string | null;
  tx_reference: string | null;
  tx_amount: string | null;
  tx_mandate: string | null;
  tx_on_pool: boolean | null;
}

export interface PaymentCreditRow extends LinkedTransaction {
  id: string;
  mandate_id: string;
  status: string;
  amount: string;
  credit_transaction_id: string | null;
}

export async function readPaymentCredits(scope: MandateScope): Promise<PaymentCreditRow[]> {
  return prisma.$queryRaw<PaymentCreditRow[]>`
    SELECT p.id, p.mandate_id, p.status::text AS status, p.amount::text AS amount, p.credit_transaction_id,
           t.id AS tx_id, t.transaction_type::text AS tx_type, t.reference_type::text AS tx_reference,
           t.amount::text AS tx_amount, t.mandate_id AS tx_mandate, a.user_id IS NULL AS tx_on_pool
      FROM payment p
      LEFT JOIN billing_transaction t ON t.id = p.credit_transaction_id
      LEFT JOIN billing_account a ON a.id = t.account_id
     WHERE ${inScope(Prisma.sql`p.mandate_id`, scope)}
     ORDER BY p.created_at`;
}

/** Why a linked transaction is not the booking expected of it; null when it is. */
function linkIssue(row: LinkedTransaction, mandateId: string, type: string, amount: string): string | null {
  if (row.tx_id === null) return "missing";
  const issues: string[] = [];
  if (row.tx_type !== type || row.tx_reference !== "PAYMENT") issues.push(`is ${row.tx_type}/${row.tx_reference}`);
  if (row.tx_mandate !== mandateId || row.tx_on_pool !== true) issues.push("is not on the mandate's pool account");
  if (row.tx_amount === null || compare(row.tx_amount, amount) !== 0) issues.push(`amount ${row.tx_amount}`);
  return issues.length > 0 ? `expected ${type}/PAYMENT of ${toMoneyString(amount)}, ${issues.join(", ")}` : null;
}

export function paymentCreditDrifts(rows: readonly PaymentCreditRow[]): MandateDrift[] {
  const drifts: MandateDrift[] = [];
  for (const p of rows) {
    const paymentRow: DriftRow = { source: "payment", id: p.id, amount: p.amount, note: `status ${p.status}` };
    if (p.status !== "PAID") {
      if (p.credit_transaction_id !== null) {
        drifts.push({
          mandateId: p.mandate_id,
          drift: {
            kind: "PAYMENT_CREDITED_NOT_PAID",
            message: `payment ${p.id} is ${p.status} but names credit ${p.credit_transaction_id}`,
            rows: [paymentRow, transactionRow(p.credit_transaction_id, p.tx_amount)],
          },
        });
      }
      continue;
    }
    if (p.credit_transaction_id === null) {
      drifts.push({
        mandateId: p.mandate_id,
        drift: { kind: "PAYMENT_NOT_CREDITED", message: `paid payment ${p.id} has no credit`, rows: [paymentRow] },
      });
      continue;
    }
    const issue = linkIssue(p, p.mandate_id, "CREDIT", p.amount);
    if (issue) {
      drifts.push({
        mandateId: p.mandate_id,
        drift: {
          kind: "PAYMENT_CREDIT_MISMATCH",
          message: `paid payment ${p.id}: its credit ${p.credit_transaction_id} ${issue}`,
          rows: [paymentRow, transactionRow(p.credit_transaction_id, p.tx_amount, issue)],
        },
      });
    }
  }
  return drifts;
}

export interface MovementRow extends LinkedTransaction {
  /** payment_refund or payment_dispute id, and the movement: "refund", "withdrawn", "reinstated". */
  id: string;
  movement: "refund" | "withdrawn" | "reinstated";
  stripe_id: string;
  payment_id: string;
  mandate_id: string;
  /** The movement's amount as the row states it (positive). */
  amount: string;
  transaction_id: string;
  /** Disputes: whether the funds were withdrawn (a reinstatement without a withdrawal is a drift). */
  withdrawn: boolean;
}

/** Every refund and every booked dispute movement, each with the transaction it names. */
export async function readPaymentMovements(scope: MandateScope): Promise<MovementRow[]> {
  return prisma.$queryRaw<MovementRow[]>`
    WITH movement AS (
      SELECT r.id, 'refund' AS movement, r.stripe_refund_id AS stripe_id, r.payment_id, r.amount,
             r.transaction_id, TRUE AS withdrawn
        FROM payment_refund r
      UNION ALL
      SELECT d.id, m.movement, d.stripe_dispute_id, d.payment_id, d.amount, m.transaction_id,
             d.withdrawn_transaction_id IS NOT NULL
        FROM payment_dispute d
       CROSS JOIN LATERAL (VALUES ('withdrawn', d.withdrawn_transaction_id),
                                  ('reinstated', d.reinstated_transaction_id)) AS m(movement, transaction_id)
       WHERE m.transaction_id IS NOT NULL)
    SELECT m.id, m.movement, m.stripe_id, m.payment_id, p.mandate_id, m.amount::text AS amount, m.transaction_id,
           m.withdrawn, t.id AS tx_id, t.transaction_type::text AS tx_type, t.reference_type::text AS tx_reference,
           t.amount::text AS tx_amount, t.mandate_id AS tx_mandate, a.user_id IS NULL AS tx_on_pool
      FROM movement m
      JOIN payment p ON p.id = m.payment_id
      LEFT JOIN billing_transaction t ON t.id = m.transaction_id
      LEFT JOIN billing_account a ON a.id = t.account_id
     WHERE ${inScope(Prisma.sql`p.mandate_id`, scope)}
     ORDER BY p.created_at, m.stripe_id, m.movement DESC`;
}

export function movementDrifts(rows: readonly MovementRow[]): MandateDrift[] {
  const drifts: MandateDrift[] = [];
  for (const m of rows) {
    const isRefund = m.movement === "refund";
    // Refunds and withdrawn funds leave the pool; reinstated funds come back.
    const expected = m.movement === "reinstated" ? m.amount : toMoney(m.amount).negated().toFixed();
    const issue = linkIssue(m, m.mandate_id, "ADJUSTMENT", expected);
    const reinstatedOnly = m.movement === "reinstated" && !m.withdrawn;
    if (!issue && !reinstatedOnly) continue;
    const what = isRefund ? `refund ${m.stripe_id}` : `dispute ${m.stripe_id} (${m.movement})`;
    const rows: DriftRow[] = [
      { source: isRefund ? "payment_refund" : "payment_dispute", id: m.id, amount: m.amount, note: m.stripe_id },
      { source: "payment", id: m.payment_id },
    ];
    rows.push(transactionRow(m.transaction_id, m.tx_amount, issue ?? undefined));
    drifts.push({
      mandateId: m.mandate_id,
      drift: {
        kind: isRefund ? "REFUND_TRANSACTION_MISMATCH" : "DISPUTE_TRANSACTION_MISMATCH",
        message: issue
          ? `${what} of payment ${m.payment_id}: its transaction ${m.transaction_id} ${issue}`
          : `${what} of payment ${m.payment_id}: funds reinstated that were never withdrawn`,
        rows,
      },
    });
  }
  return drifts;
}

/**
 * Transactions with reference type PAYMENT that no payment, refund or dispute names: money moved
 * "for a payment" that the payment records do not know.
 */
export async function readUnclaimedPaymentTransactions(scope: MandateScope): Promise<
  {
    id: string;
    mandate_id: string;
    transaction_type: string;
    amount: string;
    reference_id: string | null;
    idempotency_key: string;
  }[]
> {
  return prisma.$queryRaw`
    SELECT t.id, t.mandate_id, t.transaction_type::text AS transaction_type, t.amount::text AS amount,
           t.reference_id, t.idempotency_key
      FROM billing_transaction t
     WHERE t.reference_type = 'PAYMENT' AND ${inScope(Prisma.sql`t.mandate_id`, scope)}
       AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.credit_transaction_id = t.id)
       AND NOT EXISTS (SELECT 1 FROM payment_refund r WHERE r.transaction_id = t.id)
       AND NOT EXISTS (SELECT 1 FROM payment_dispute d
                        WHERE d.withdrawn_transaction_id = t.id OR d.reinstated_transaction_id = t.id)
     ORDER BY t.mandate_id, t.booking_sequence`;
}

export function unclaimedPaymentDrifts(
  rows: Awaited<ReturnType<typeof readUnclaimedPaymentTransactions>>,
): MandateDrift[] {
  return rows.map((t) => {
    const credit = t.transaction_type === "CREDIT";
    return {
      mandateId: t.mandate_id,
      drift: {
        kind: credit ? "PAYMENT_CREDIT_WITHOUT_PAYMENT" : "PAYMENT_ADJUSTMENT_WITHOUT_ROW",
        message: `${t.transaction_type} ${t.id} of ${t.amount} (reference PAYMENT ${t.reference_id ?? "-"}, key ${t.idempotency_key}) belongs to no ${credit ? "payment" : "refund or dispute"}`,
        rows: [transactionRow(t.id, t.amount, `reference ${t.reference_id ?? "-"}, key ${t.idempotency_key}`)],
      },
    };
  });
}
