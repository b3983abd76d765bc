import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { bookUsage } from "./book-usage";
import {
  countTransactions,
  iterateTransactions,
  listTransactions,
  type ListTransactionsOptions,
  type TransactionItem,
} from "./list-transactions";
import { adjust, credit } from "./post-transaction";

/**
 * Sorting, the audit-account scope, the count and the batch walk of list-transactions. Amounts
 * repeat on purpose (ties are broken by id) and adjustments are negative: the amount order is
 * the signed amount as stored. The default order is booking order (booking_sequence). Expectations come from Prisma queries on the same rows.
 */
const AMOUNTS = ["0.000001", "0.5", "0.5", "0.5", "12.345678", "0.000001", "3", "0.5", "100", "0.25"];
let m: TestMandate;

beforeAll(async () => {
  m = await createTestMandate({ balance: "50" });
  await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      bookUsage({
        mandateId: m.mandateId,
        userId: i % 3 === 0 ? m.memberId : i % 3 === 1 ? m.ownerId : null,
        amount: AMOUNTS[i % AMOUNTS.length] ?? "1",
        idempotencyKey: `usage-${i}`,
        provider: i % 2 ? "anthropic" : "openai",
        featureCode: i % 4 ? "chat" : "documents",
        // Several rows per instant: the date order has ties too.
        occurredAt: new Date(Date.UTC(2026, 2, 1 + (i % 7), 12)),
      }),
    ),
  );
  await Promise.all([
    credit({ accountId: m.poolAccountId, amount: "0.5", idempotencyKey: "top-up", description: "top-up" }),
    adjust({
      accountId: m.poolAccountId,
      amount: "-2.5",
      idempotencyKey: "fix",
      reason: "fix",
      createdByUserId: m.adminId,
    }),
  ]);
});

async function allPages(opts: Omit<ListTransactionsOptions, "mandateId" | "cursor">): Promise<TransactionItem[]> {
  const items: TransactionItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const result = await listTransactions({ mandateId: m.mandateId, ...opts, cursor });
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
    expect(result.items).toHaveLength(opts.limit ?? 50);
  }
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  return items;
}

async function expectedIds(
  accountId: string,
  orderBy: Prisma.BillingTransactionOrderByWithRelationInput[],
  where: Prisma.BillingTransactionWhereInput = {},
): Promise<string[]> {
  const rows = await prisma.billingTransaction.findMany({
    where: { accountId, ...where },
    orderBy,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

describe("listTransactions sorting", () => {
  it.each([
    ["amount", "desc"],
    ["amount", "asc"],
    ["bookedAt", "asc"],
    ["bookedAt", "desc"],
  ] as const)("by %s %s visits every row exactly once, in order, across pages", async (sort, direction) => {
    const expected = await expectedIds(
      m.poolAccountId,
      sort === "amount" ? [{ amount: direction }, { id: direction }] : [{ bookingSequence: direction }],
    );
    expect(expected).toHaveLength(1 + 60 + 2);
    for (const limit of [1, 4, 7, 500]) {
      const items = await allPages({ sort, direction, limit });
      expect(items.map((i) => i.id)).toEqual(expected);
    }
  });

  it("sorts by the signed amount and filters within the sort", async () => {
    const desc = await allPages({ sort: "amount", direction: "desc", limit: 500 });
    expect(desc[0]?.amount).toBe("100.000000");
    expect(desc[desc.length - 1]?.amount).toBe("-2.500000");
    const filtered = await allPages({
      sort: "amount",
      direction: "asc",
      limit: 3,
      provider: "anthropic",
      featureCode: "chat",
    });
    const expected = await expectedIds(m.poolAccountId, [{ amount: "asc" }, { id: "asc" }], {
      aicoreProvider: "anthropic",
      featureCode: "chat",
    });
    expect(expected.length).toBeGreaterThan(3);
    expect(filtered.map((i) => i.id)).toEqual(expected);
  });

  it("refuses a cursor of another order, and keeps the original cursor form for the default order", async () => {
    const byAmount = await listTransactions({ mandateId: m.mandateId, sort: "amount", limit: 2 });
    const byDate = await listTransactions({ mandateId: m.mandateId, limit: 2 });
    const ascending = await listTransactions({ mandateId: m.mandateId, sort: "amount", direction: "asc", limit: 2 });
    const attempts: [string | null, Partial<ListTransactionsOptions>][] = [
      [byAmount.nextCursor, {}],
      [byAmount.nextCursor, { sort: "amount", direction: "asc" }],
      [byDate.nextCursor, { sort: "amount" }],
      [byDate.nextCursor, { sort: "bookedAt", direction: "asc" }],
      [ascending.nextCursor, { sort: "amount", direction: "desc" }],
    ];
    for (const [cursor, order] of attempts) {
      const err = await listTransactions({ mandateId: m.mandateId, cursor, ...order }).catch((e: unknown) => e);
      expect(isDomainError(err, "VALIDATION_FAILED"), JSON.stringify(order)).toBe(true);
    }
    const decoded: unknown = JSON.parse(Buffer.from(byDate.nextCursor ?? "", "base64url").toString("utf8"));
    const last = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: byDate.items[1]?.id ?? "" } });
    expect(decoded).toEqual([String(last.bookingSequence), last.id]);
  });

  it("continues a cursor handed out before booking order (call time, id) after its row", async () => {
    const all = await allPages({ limit: 500 });
    const row = all[4];
    if (!row) throw new Error("too few rows");
    const legacy = Buffer.from(JSON.stringify([row.createdAt, row.id])).toString("base64url");
    const next = await listTransactions({ mandateId: m.mandateId, cursor: legacy, limit: 3 });
    expect(next.items.map((i) => i.id)).toEqual(all.slice(5, 8).map((i) => i.id));
  });
});

describe("listTransactions of a user's audit account", () => {
  it("lists only that account, in any order, and nothing for a user who never spent", async () => {
    const audit = await prisma.billingAccount.findFirstOrThrow({
      where: { mandateId: m.mandateId, userId: m.memberId },
    });
    const expected = await expectedIds(audit.id, [{ amount: "desc" }, { id: "desc" }]);
    expect(expected).toHaveLength(20);
    const items = await allPages({ auditUserId: m.memberId, sort: "amount", limit: 3 });
    expect(items.map((i) => i.id)).toEqual(expected);
    expect(new Set(items.map((i) => i.createdByUserId))).toEqual(new Set([m.memberId]));
    // The userId filter cannot reach beyond the account.
    expect(
      (await listTransactions({ mandateId: m.mandateId, auditUserId: m.memberId, userId: m.ownerId })).items,
    ).toEqual([]);
    expect((await listTransactions({ mandateId: m.mandateId, auditUserId: m.adminId })).items).toEqual([]);
    expect((await listTransactions({ mandateId: m.mandateId, auditUserId: "not-a-uuid" })).items).toEqual([]);
    const unknown = await listTransactions({ mandateId: randomUUID(), auditUserId: m.memberId }).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(unknown, "NOT_FOUND")).toBe(true);
  });
});

describe("countTransactions and iterateTransactions", () => {
  it("count the rows the list shows, and walk them all in batches", async () => {
    const filters: Omit<ListTransactionsOptions, "mandateId">[] = [
      {},
      { provider: "openai" },
      { auditUserId: m.memberId, featureCode: "documents" },
      { type: "ADJUSTMENT" },
      { userId: m.ownerId, from: "2026-03-03T00:00:00Z", to: "2026-03-06T00:00:00Z" },
      { auditUserId: m.adminId },
    ];
    for (const filter of filters) {
      const listed = await allPages({ ...filter, limit: 500 });
      expect(await countTransactions({ mandateId: m.mandateId, ...filter }), JSON.stringify(filter)).toBe(
        listed.length,
      );
      const batches: TransactionItem[][] = [];
      for await (const batch of iterateTransactions({ mandateId: m.mandateId, ...filter, sort: "bookedAt" }, 4)) {
        expect(batch.length).toBeLessThanOrEqual(4);
        batches.push(batch);
      }
      expect(batches.flat().map((i) => i.id)).toEqual(listed.map((i) => i.id));
    }
  });
});
