import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { ReferenceType, TransactionType } from "@/lib/db/generated/enums";
import { DomainError } from "@/lib/errors";
import { getPoolAccount } from "./accounts";

/**
 * A mandate's transactions, newest first, page by page. The list is the pool account's ledger:
 * every CHF the mandate paid or spent appears once (a user's audit account only repeats that
 * user's usage debits). Keyset pagination on (created_at, id), the order of the index
 * (account_id, created_at DESC, id DESC): a page costs the same on page 1 and page 10,000, and
 * rows booked meanwhile neither shift nor repeat the pages that follow.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface ListTransactionsOptions {
  mandateId: string;
  /** 1..MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
  limit?: number;
  /** nextCursor of the previous page; opaque to callers. */
  cursor?: string | null;
  type?: TransactionType;
  referenceType?: ReferenceType;
  provider?: string;
  model?: string;
  featureCode?: string;
  /** Transactions the user caused (created_by_user_id): their AI usage, and adjustments they made. */
  userId?: string;
  /** Inclusive lower bound on createdAt, ISO 8601 with offset. */
  from?: string;
  /** Exclusive upper bound on createdAt, ISO 8601 with offset. */
  to?: string;
}

/** Seed's BillingTransaction in camelCase; amounts as decimal strings, byte counts as numbers. */
export interface TransactionItem {
  id: string;
  accountId: string;
  mandateId: string;
  transactionType: TransactionType;
  amount: string;
  currency: string;
  balanceAfter: string;
  description: string;
  referenceType: ReferenceType | null;
  referenceId: string | null;
  workflowId: string | null;
  featureInstanceId: string | null;
  featureCode: string | null;
  aicoreProvider: string | null;
  aicoreModel: string | null;
  createdByUserId: string | null;
  /** Seconds, decimal string with three decimals. */
  processingTime: string | null;
  bytesSent: number | null;
  bytesReceived: number | null;
  errorCount: number | null;
  /** RFC 3339 in UTC with the ledger's microseconds, e.g. "2026-11-24T12:00:00.123456Z". */
  createdAt: string;
}

export interface TransactionPage {
  items: TransactionItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface TransactionRow extends Omit<TransactionItem, "bytesSent" | "bytesReceived"> {
  bytesSent: bigint | null;
  bytesReceived: bigint | null;
}

export async function listTransactions(opts: ListTransactionsOptions): Promise<TransactionPage> {
  const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new DomainError("VALIDATION_FAILED", `limit must be 1-${MAX_PAGE_SIZE}`, [
      { path: "limit", message: "out of range" },
    ]);
  }
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const pool = await getPoolAccount(opts.mandateId);

  const where: Prisma.Sql[] = [
    Prisma.sql`t.account_id = ${pool.accountId}::uuid`,
    Prisma.sql`t.mandate_id = ${opts.mandateId}::uuid`,
  ];
  if (after) where.push(Prisma.sql`(t.created_at, t.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  if (opts.type) where.push(Prisma.sql`t.transaction_type = ${opts.type}::"TransactionType"`);
  if (opts.referenceType) where.push(Prisma.sql`t.reference_type = ${opts.referenceType}::"ReferenceType"`);
  if (opts.provider) where.push(Prisma.sql`t.aicore_provider = ${opts.provider}`);
  if (opts.model) where.push(Prisma.sql`t.aicore_model = ${opts.model}`);
  if (opts.featureCode) where.push(Prisma.sql`t.feature_code = ${opts.featureCode}`);
  if (opts.userId) where.push(Prisma.sql`t.created_by_user_id = ${opts.userId}::uuid`);
  if (opts.from) where.push(Prisma.sql`t.created_at >= ${opts.from}::timestamptz`);
  if (opts.to) where.push(Prisma.sql`t.created_at < ${opts.to}::timestamptz`);

  // One row more than asked tells whether another page exists.
  const rows = await prisma.$queryRaw<TransactionRow[]>`
    SELECT t.id::text AS "id", t.account_id::text AS "accountId", t.mandate_id::text AS "mandateId",
           t.transaction_type::text AS "transactionType", t.amount::text AS "amount", t.currency AS "currency",
           t.balance_after::text AS "balanceAfter", t.description AS "description",
           t.reference_type::text AS "referenceType", t.reference_id AS "referenceId", t.workflow_id AS "workflowId",
           t.feature_instance_id AS "featureInstanceId", t.feature_code AS "featureCode",
           t.aicore_provider AS "aicoreProvider", t.aicore_model AS "aicoreModel",
           t.created_by_user_id::text AS "createdByUserId", t.processing_time::text AS "processingTime",
           t.bytes_sent AS "bytesSent", t.bytes_received AS "bytesReceived", t.error_count AS "errorCount",
           to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt"
      FROM billing_transaction t
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY t.created_at DESC, t.id DESC
     LIMIT ${limit + 1}`;

  const page = rows.slice(0, limit).map((row): TransactionItem => ({
    ...row,
    // Byte counts are not money; far below 2^53 for any real request.
    bytesSent: row.bytesSent === null ? null : Number(row.bytesSent),
    bytesReceived: row.bytesReceived === null ? null : Number(row.bytesReceived),
  }));
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

interface Cursor {
  createdAt: string;
  id: string;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The position after a row: its microsecond timestamp (a JS Date would lose them) and its id. */
function encodeCursor(row: Pick<TransactionItem, "createdAt" | "id">): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.id])).toString("base64url");
}

function decodeCursor(cursor: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === "string" &&
    typeof parsed[1] === "string" &&
    CURSOR_TIME.test(parsed[0]) &&
    !Number.isNaN(Date.parse(parsed[0])) &&
    UUID.test(parsed[1])
  ) {
    return { createdAt: parsed[0], id: parsed[1] };
  }
  throw new DomainError("VALIDATION_FAILED", "cursor is not one this API returned", [
    { path: "cursor", message: "invalid cursor" },
  ]);
}
