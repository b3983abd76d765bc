import { hash } from "node:crypto";
import pg from "pg";
import { queryNamed } from "@/lib/db/pg-pool";
import { DomainError } from "@/lib/errors";
import { toMoneyString } from "@/lib/money/money";
import type { Booking } from "./types";
import type { LedgerWording } from "./wording";

/**
 * The bridge to the ledger's SQL functions (prisma/migrations/*_baseline). Every booking
 * is one statement, one round trip: the account row lock is held only inside PostgreSQL.
 * These are the machine API's hot path, so they go to node-postgres directly (lib/db/pg-pool.ts)
 * as named statements: through Prisma's $queryRaw the same call cost about twice the client CPU.
 */

/** Columns of billing_transaction a caller may set; the SQL function fills the rest. */
export interface TransactionRow {
  transaction_type?: "CREDIT" | "DEBIT" | "ADJUSTMENT";
  amount: string;
  description: string;
  idempotency_key: string;
  request_hash: string;
  reference_type?: string | null;
  reference_id?: string | null;
  workflow_id?: string | null;
  feature_instance_id?: string | null;
  feature_code?: string | null;
  aicore_provider?: string | null;
  aicore_model?: string | null;
  created_by_user_id?: string | null;
  processing_time?: string | null;
  bytes_sent?: string | null;
  bytes_received?: string | null;
  error_count?: number | null;
  provider_cost?: string | null;
  created_at?: string | null;
}

/** A ledger_booking row as node-postgres parses it: numeric as a decimal string, never a float. */
interface BookingRow {
  transaction_id: string;
  account_id: string;
  transaction_type: Booking["transactionType"];
  amount: string;
  balance_after: string;
  created_at: Date;
  replayed: boolean;
}

/** Stable hash of what a booking means, so a reused key with another payload is caught (409). */
export function requestHash(payload: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(payload)
      .sort()
      .map((key) => [key, payload[key] ?? null]),
  );
  // One-shot hash: the batch path hashes every event, and createHash() costs more than the digest.
  return hash("sha256", canonical, "hex");
}

/**
 * ledger_post, one statement. A wording (lib/ledger/wording.ts) is written in the same statement,
 * so the two commit together; a replay adds it to a row booked without one and changes nothing else.
 */
export async function callLedgerPost(
  accountId: string,
  row: TransactionRow,
  requireEnabled: boolean,
  wording: LedgerWording | null = null,
): Promise<Booking> {
  const rows = await runLedgerSql(() =>
    queryNamed<BookingRow>(
      "ledger_post",
      `WITH booking AS (
         SELECT * FROM ledger_post($1::uuid, jsonb_populate_record(NULL::billing_transaction, $2::jsonb), $3)
       ), worded AS (
         INSERT INTO billing_transaction_wording (transaction_id, key, "values")
         SELECT transaction_id, $4::jsonb ->> 'key', $4::jsonb - 'key' FROM booking WHERE $4::jsonb IS NOT NULL
         ON CONFLICT (transaction_id) DO NOTHING
       )
       SELECT * FROM booking`,
      [accountId, JSON.stringify(row), requireEnabled, wording && JSON.stringify(wording)],
    ),
  );
  return toBooking(rows[0]);
}

/** What callLedgerPostWithin needs of a Prisma interactive transaction. */
export interface LedgerTransaction {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): Promise<T>;
}

/**
 * ledger_post inside the caller's database transaction, so the booking commits or rolls back
 * with the caller's other writes (a webhook's event id and the payment it credits, for one).
 */
export async function callLedgerPostWithin(
  tx: LedgerTransaction,
  accountId: string,
  row: TransactionRow,
  requireEnabled: boolean,
  wording: LedgerWording | null = null,
): Promise<Booking> {
  const worded = wording && JSON.stringify(wording);
  const rows = await runLedgerSql(
    () => tx.$queryRaw<BookingRow[]>`
      WITH booking AS (
        SELECT transaction_id, account_id, transaction_type::text AS transaction_type, amount::text AS amount,
               balance_after::text AS balance_after, created_at, replayed
          FROM ledger_post(${accountId}::uuid,
            jsonb_populate_record(NULL::billing_transaction, ${JSON.stringify(row)}::jsonb), ${requireEnabled})
      ), worded AS (
        INSERT INTO billing_transaction_wording (transaction_id, key, "values")
        SELECT transaction_id, ${worded}::jsonb ->> 'key', ${worded}::jsonb - 'key' FROM booking
         WHERE ${worded}::jsonb IS NOT NULL
        ON CONFLICT (transaction_id) DO NOTHING
      )
      SELECT * FROM booking`,
  );
  return toBooking(rows[0]);
}

/**
 * Returns the pool booking first, then the user's audit booking when a user was given. A
 * reservation id is captured by the debit in the same statement (replays leave it alone).
 */
export async function callLedgerPostUsage(
  mandateId: string,
  userId: string | null,
  row: TransactionRow,
  reservationId: string | null = null,
): Promise<Booking[]> {
  const rows = await runLedgerSql(() =>
    queryNamed<BookingRow>(
      "ledger_post_usage",
      `SELECT * FROM ledger_post_usage($1::uuid, $2::uuid,
        jsonb_populate_record(NULL::billing_transaction, $3::jsonb), $4::uuid)`,
      [mandateId, userId, JSON.stringify(row), reservationId],
    ),
  );
  return rows.map(toBooking);
}

/** One event of ledger_post_usage_batch; idx ties the outcome back to the caller's list. */
export interface BatchUsageRow {
  idx: number;
  mandate_id: string;
  user_id: string | null;
  reservation_id: string | null;
  tx: TransactionRow;
}

export interface BatchUsageOutcome {
  idx: number;
  status: "booked" | "duplicate" | "rejected";
  /** An ErrorCode (lib/errors.ts) when rejected. */
  error_code: string | null;
  /** The pool transaction booked, or found for a duplicate. */
  transaction_id: string | null;
}

/** Books all events in one statement; per-event errors come back as outcomes, not exceptions. */
export async function callLedgerPostUsageBatch(events: BatchUsageRow[]): Promise<BatchUsageOutcome[]> {
  if (events.length === 0) return [];
  return runLedgerSql(() =>
    queryNamed<BatchUsageOutcome>("ledger_post_usage_batch", "SELECT * FROM ledger_post_usage_batch($1::jsonb)", [
      JSON.stringify(events),
    ]),
  );
}

function toBooking(row: BookingRow | undefined): Booking {
  if (!row) throw new Error("ledger function returned no row");
  return {
    transactionId: row.transaction_id,
    accountId: row.account_id,
    transactionType: row.transaction_type,
    amount: toMoneyString(row.amount),
    balanceAfter: toMoneyString(row.balance_after),
    createdAt: row.created_at,
    replayed: row.replayed,
  };
}

const SQLSTATE_TO_ERROR: Record<string, DomainError["code"]> = {
  BL400: "VALIDATION_FAILED",
  BL403: "ACCOUNT_DISABLED",
  BL404: "NOT_FOUND",
  BL409: "IDEMPOTENCY_CONFLICT",
  BL410: "RESERVATION_ALREADY_SETTLED",
  BL422: "USER_NOT_MEMBER",
};

/**
 * Runs a ledger statement and turns the ledger's own SQLSTATEs into DomainErrors. The statement
 * may run on the pg pool (hot path) or through Prisma (inside a Prisma transaction).
 */
export async function runLedgerSql<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    const sqlState = findSqlState(err);
    const code = sqlState ? SQLSTATE_TO_ERROR[sqlState] : undefined;
    if (code) throw new DomainError(code, findDbMessage(err) ?? code);
    throw err;
  }
}

/**
 * node-postgres' DatabaseError carries the SQLSTATE in `code`; Prisma wraps driver errors, and
 * there it sits in the adapter error's cause.
 */
export function findSqlState(err: unknown): string | undefined {
  if (err instanceof pg.DatabaseError) return err.code;
  return findField(err, "originalCode") ?? findField(err, "code", /^[0-9A-Z]{5}$/);
}

/** The database's own wording (RAISE EXCEPTION's text); Prisma's message adds its own around it. */
function findDbMessage(err: unknown): string | undefined {
  if (err instanceof pg.DatabaseError) return err.message;
  return findField(err, "originalMessage");
}

function findField(err: unknown, field: string, pattern?: RegExp, depth = 0): string | undefined {
  if (!err || typeof err !== "object" || depth > 5) return undefined;
  const record = err as Record<string, unknown>;
  const value = record[field];
  if (typeof value === "string" && (!pattern || pattern.test(value))) return value;
  for (const next of ["meta", "cause", "driverAdapterError"]) {
    const found = findField(record[next], field, pattern, depth + 1);
    if (found) return found;
  }
  return undefined;
}
