import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { ReferenceType, TransactionType } from "@/lib/db/generated/enums";
import { DomainError } from "@/lib/errors";
import { resolvePoolOrAuditAccount } from "./accounts";
import { isUuid } from "@/lib/ids/uuid";

/**
 * A mandate's transactions, page by page. By default the list is the pool account's ledger:
 * every CHF the mandate paid or spent appears once (a user's audit account only repeats that
 * user's usage debits); `auditUserId` lists one user's audit account instead. The default order
 * is the order of booking (booking_sequence), the one balanceAfter runs in: read newest first,
 * each row's balanceAfter is the next row's plus this row's effect, whatever the call times
 * (createdAt) say, as a gateway reports calls late and out of order. Keyset pagination on the
 * sort key, the order of an index: (account_id, booking_sequence DESC) for booking order,
 * (account_id, amount DESC, id DESC) for amounts, each read in either direction. A page costs the
 * same on page 1 and page 10,000, and rows booked meanwhile neither shift nor repeat the pages
 * that follow. Filters, sort, cursor and count live in one module because the count and the
 * export must select exactly the rows the list shows.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** Rows per round trip when a caller walks every row (CSV export): bounded memory, few queries. */
export const EXPORT_BATCH_SIZE = 5_000;

/** bookedAt: the order of booking (booking_sequence), in which balanceAfter runs. */
export const TRANSACTION_SORT_FIELDS = ["bookedAt", "amount"] as const;
export type TransactionSortField = (typeof TRANSACTION_SORT_FIELDS)[number];
export const SORT_DIRECTIONS = ["desc", "asc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** Which rows: everything but the position in the list. Shared by list, count and export. */
export interface TransactionFilter {
  mandateId: string;
  /**
   * List this user's audit account in the mandate instead of the pool account: what that user
   * spent, and nothing else of the mandate. A user who never spent has no audit account: empty.
   */
  auditUserId?: string;
  type?: TransactionType;
  referenceType?: ReferenceType;
  provider?: string;
  model?: string;
  featureCode?: string;
  /** Transactions the user caused (created_by_user_id): their AI usage, and adjustments they made. */
  userId?: string;
  /**
   * Inclusive lower bound on createdAt (the call time, as the statistics count it), ISO 8601
   * with offset.
   */
  from?: string;
  /** Exclusive upper bound on createdAt (the call time), ISO 8601 with offset. */
  to?: string;
  /**
   * Part of the model name or of the description, any case; `%` and `_` are the characters
   * themselves, not wildcards.
   */
  search?: string;
}

export interface ListTransactionsOptions extends TransactionFilter {
  /** 1..MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
  limit?: number;
  /** nextCursor of the previous page, from the same sort; opaque to callers. */
  cursor?: string | null;
  /**
   * prevCursor of a page (listTransactionPage): the page before it, in the same order. Takes
   * precedence over `cursor`.
   */
  before?: string | null;
  /** Default bookedAt. Amount sorts by the signed amount as stored (adjustments may be negative). */
  sort?: TransactionSortField;
  /** Default desc (newest or largest first). */
  direction?: SortDirection;
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
  /**
   * When the AI call happened (a usage event's occurredAt); for credits and adjustments, when
   * booked. RFC 3339 in UTC with the ledger's microseconds, e.g. "2026-11-24T12:00:00.123456Z".
   */
  createdAt: string;
  /** When the ledger booked it (server time), in the same form; the list's default order. */
  bookedAt: string;
}

export interface TransactionPage {
  items: TransactionItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A page that can also be left backwards: the dashboard keeps its place in the URL both ways. */
export interface TransactionPageBothWays extends TransactionPage {
  /** Pass as `before` for the page before this one; null on the first page. */
  prevCursor: string | null;
}

interface TransactionRow extends Omit<TransactionItem, "bytesSent" | "bytesReceived"> {
  bytesSent: bigint | null;
  bytesReceived: bigint | null;
  /** The cursor's position in booking order; not part of the item. */
  bookingSequence: string;
}

export async function listTransactions(opts: ListTransactionsOptions): Promise<TransactionPage> {
  // The machine API's page keeps its documented shape: no prevCursor.
  const { items, nextCursor } = await listTransactionPage(opts);
  return { items, nextCursor };
}

/** listTransactions with a cursor back to the previous page, for the dashboard's pager. */
export async function listTransactionPage(opts: ListTransactionsOptions): Promise<TransactionPageBothWays> {
  const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new DomainError("VALIDATION_FAILED", `limit must be 1-${MAX_PAGE_SIZE}`, [
      { path: "limit", message: "out of range" },
    ]);
  }
  const { accountId } = await resolvePoolOrAuditAccount(opts.mandateId, opts.auditUserId);
  return queryPage(accountId, opts, limit);
}

/**
 * Where the dashboard's count stops. An exact count reads every matching row, seconds on an
 * account with millions; up to here it reads at most this many rows from the newest (plus what a
 * filter skips), and the page offers the exact figure on request.
 */
export const COUNT_CAP = 1_000;

export interface CappedCount {
  /** The matching rows, or `cap` when more match. */
  total: number;
  /** More rows than `total` match ("1,000+"). */
  capped: boolean;
}

/**
 * How many rows match, counted up to `cap`: the total beside the dashboard's table. Read in
 * booking order from the newest, the order of the list's indexes, so that the first `cap` matches
 * end the read; without an order the planner may scan the table from its oldest rows instead.
 */
export async function countTransactionsUpTo(filter: TransactionFilter, cap = COUNT_CAP): Promise<CappedCount> {
  const { accountId } = await resolvePoolOrAuditAccount(filter.mandateId, filter.auditUserId);
  if (!accountId) return { total: 0, capped: false };
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (
      SELECT 1 FROM billing_transaction t WHERE ${Prisma.join(filterSql(accountId, filter), " AND ")}
       ORDER BY t.booking_sequence DESC LIMIT ${cap + 1}
    ) AS matching`;
  const n = Number(row?.n ?? 0);
  return n > cap ? { total: cap, capped: true } : { total: n, capped: false };
}

/** How many rows match the filter, exactly: what the export announces, and the count on request. */
export async function countTransactions(filter: TransactionFilter): Promise<number> {
  const { accountId } = await resolvePoolOrAuditAccount(filter.mandateId, filter.auditUserId);
  if (!accountId) return 0;
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM billing_transaction t WHERE ${Prisma.join(filterSql(accountId, filter), " AND ")}`;
  return Number(row?.n ?? 0);
}

/**
 * Every matching row in the list's order, `batchSize` rows per query, for streaming exports: one
 * batch is in memory at a time, and keyset positions keep later batches exact while new rows are
 * booked (rows booked after the walk passed their position are not included).
 */
export async function* iterateTransactions(
  opts: Omit<ListTransactionsOptions, "limit" | "cursor">,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<TransactionItem[], void, undefined> {
  // The account is resolved once for the whole walk, not once per batch.
  const { accountId } = await resolvePoolOrAuditAccount(opts.mandateId, opts.auditUserId);
  let cursor: string | null = null;
  do {
    const page: TransactionPage = await queryPage(accountId, { ...opts, cursor }, batchSize);
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/** One page of the account's transactions; no account (a user who never spent) lists nothing. */
async function queryPage(
  accountId: string | null,
  opts: ListTransactionsOptions,
  limit: number,
): Promise<TransactionPageBothWays> {
  const sort = opts.sort ?? "bookedAt";
  const direction = opts.direction ?? "desc";
  // Backwards: the rows before the page's first row, read in the opposite order and turned round.
  const backwards = Boolean(opts.before);
  const position = opts.before ?? opts.cursor;
  const after = position ? decodeCursor(position, sort, direction) : null;
  if (!accountId) return { items: [], nextCursor: null, prevCursor: null };

  const where = filterSql(accountId, opts);
  // Direction and column come from closed unions, never from input text.
  const readDescending = (direction === "desc") !== backwards;
  const cmp = Prisma.raw(readDescending ? "<" : ">");
  const dir = Prisma.raw(readDescending ? "DESC" : "ASC");
  if (after && sort === "amount")
    where.push(Prisma.sql`(t.amount, t.id) ${cmp} (${after.key}::numeric, ${after.id}::uuid)`);
  if (after && sort === "bookedAt") {
    // A cursor from before booking order (a call time and an id) continues after its row.
    const position = CURSOR_SEQUENCE.test(after.key)
      ? Prisma.sql`${after.key}::bigint`
      : Prisma.sql`(SELECT p.booking_sequence FROM billing_transaction p WHERE p.id = ${after.id}::uuid)`;
    where.push(Prisma.sql`t.booking_sequence ${cmp} ${position}`);
  }
  // booking_sequence is unique: no tie-breaker needed.
  const orderBy = sort === "amount" ? Prisma.sql`t.amount ${dir}, t.id ${dir}` : Prisma.sql`t.booking_sequence ${dir}`;

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
           to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
           to_char(t.booked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "bookedAt",
           t.booking_sequence::text AS "bookingSequence"
      FROM billing_transaction t
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY ${orderBy}
     LIMIT ${limit + 1}`;

  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  if (backwards) pageRows.reverse();
  const items = pageRows.map(({ bookingSequence: _position, ...row }): TransactionItem => ({
    ...row,
    // Byte counts are not money; far below 2^53 for any real request.
    bytesSent: row.bytesSent === null ? null : Number(row.bytesSent),
    bytesReceived: row.bytesReceived === null ? null : Number(row.bytesReceived),
  }));
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  const at = (row: TransactionRow | undefined) => (row ? encodeCursor(row, sort, direction) : null);
  // Read forwards, a previous page exists when the read started after a row; read backwards, the
  // page it came from follows, and another lies before it when the read found more.
  return backwards
    ? { items, nextCursor: at(last), prevCursor: more ? at(first) : null }
    : { items, nextCursor: more ? at(last) : null, prevCursor: after ? at(first) : null };
}

/**
 * Rows a search matches: the model name contains the text, or, on rows that are not AI usage, the
 * description does. An AI debit's description is generated from its provider, model and feature
 * (and shown rendered from them), so its model is what there is to find; free text lives on the
 * other rows. Each half has its index (prisma/migrations/20261207000000_transaction_search_cheaper):
 * the account's distinct models are read by skipping through billing_transaction_model_idx, one
 * probe per model, matched with ILIKE, and their rows found by equality on the same index; the
 * descriptions by the trigram index on non-usage rows, whose predicate the condition repeats.
 */
function searchSql(accountId: string, search: string): Prisma.Sql {
  const pattern = containsPattern(search);
  return Prisma.sql`(
    t.aicore_model = ANY (ARRAY(
      WITH RECURSIVE models (model) AS (
        SELECT min(m.aicore_model) FROM billing_transaction m
         WHERE m.account_id = ${accountId}::uuid AND m.aicore_model IS NOT NULL
        UNION ALL
        SELECT (SELECT min(m.aicore_model) FROM billing_transaction m
                 WHERE m.account_id = ${accountId}::uuid AND m.aicore_model IS NOT NULL
                   AND m.aicore_model > models.model)
          FROM models WHERE models.model IS NOT NULL
      )
      SELECT model FROM models WHERE model ILIKE ${pattern}
    ))
    OR (t.reference_type IS DISTINCT FROM 'WORKFLOW' AND t.description ILIKE ${pattern})
  )`;
}

/** An ILIKE pattern matching `text` anywhere, its `\`, `%` and `_` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The WHERE conditions of the list, the count and the export; exported for the plan test. */
export function filterSql(accountId: string, f: TransactionFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [
    Prisma.sql`t.account_id = ${accountId}::uuid`,
    Prisma.sql`t.mandate_id = ${f.mandateId}::uuid`,
  ];
  if (f.type) where.push(Prisma.sql`t.transaction_type = ${f.type}::"TransactionType"`);
  if (f.referenceType) where.push(Prisma.sql`t.reference_type = ${f.referenceType}::"ReferenceType"`);
  if (f.provider) where.push(Prisma.sql`t.aicore_provider = ${f.provider}`);
  if (f.model) where.push(Prisma.sql`t.aicore_model = ${f.model}`);
  if (f.featureCode) where.push(Prisma.sql`t.feature_code = ${f.featureCode}`);
  if (f.userId) where.push(Prisma.sql`t.created_by_user_id = ${f.userId}::uuid`);
  if (f.from) where.push(Prisma.sql`t.created_at >= ${f.from}::timestamptz`);
  if (f.to) where.push(Prisma.sql`t.created_at < ${f.to}::timestamptz`);
  if (f.search) where.push(searchSql(accountId, f.search));
  return where;
}

interface Cursor {
  /**
   * The sort key of the last row: its booking sequence or its amount as stored (or, in a cursor
   * handed out before booking order, its call time).
   */
  key: string;
  id: string;
}

/** A booking_sequence, within bigint. */
const CURSOR_SEQUENCE = /^[1-9]\d{0,17}$/;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** numeric(30,6) as PostgreSQL prints it. */
const CURSOR_AMOUNT = /^-?\d{1,24}\.\d{6}$/;

/**
 * The position after a row: its sort key (a float would lose the amount's digits, a JS number a
 * large sequence's) and its id. The default order keeps its original two-element form, so
 * cursors handed out before booking order (a call time and an id) still continue after their
 * row; other orders name their sort, so a cursor cannot be replayed against a different order.
 */
function encodeCursor(row: TransactionRow, sort: TransactionSortField, direction: SortDirection): string {
  const key = sort === "amount" ? row.amount : row.bookingSequence;
  const parts = sort === "bookedAt" && direction === "desc" ? [key, row.id] : [sort, direction, key, row.id];
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

function decodeCursor(cursor: string, sort: TransactionSortField, direction: SortDirection): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const isDefault = sort === "bookedAt" && direction === "desc";
  const parts: unknown[] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
  const [key, id] = isDefault ? parts : parts.slice(2);
  const sameOrder = isDefault ? parts.length === 2 : parts.length === 4 && parts[0] === sort && parts[1] === direction;
  const validKey =
    typeof key === "string" &&
    (sort === "amount"
      ? CURSOR_AMOUNT.test(key)
      : CURSOR_SEQUENCE.test(key) || (isDefault && CURSOR_TIME.test(key) && !Number.isNaN(Date.parse(key))));
  if (sameOrder && validKey && typeof id === "string" && isUuid(id)) return { key, id };
  throw new DomainError("VALIDATION_FAILED", "cursor is not one this API returned", [
    { path: "cursor", message: "invalid cursor" },
  ]);
}
