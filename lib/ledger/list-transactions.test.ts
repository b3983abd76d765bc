import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { bookUsage } from "./book-usage";
import { listTransactions, type ListTransactionsOptions, type TransactionItem } from "./list-transactions";
import { adjust, credit, debit } from "./post-transaction";

/**
 * Many rows share one call time on purpose: the list follows booking order whatever the call times.
 * Expectations come from Prisma queries on the same rows, not from the SQL under test.
 */
const T0 = new Date("2026-05-05T10:00:00.000Z");
const T1 = new Date("2026-05-06T10:00:00.000Z");
const T2 = new Date("2026-05-04T10:00:00.000Z");
const PROVIDERS = [
  ["openai", "gpt-4o"],
  ["anthropic", "claude-4-sonnet"],
  ["mistral", "mistral-large"],
] as const;
const FEATURES = ["chat", "automation", "workspace"] as const;

let m: TestMandate;
let other: TestMandate;

beforeAll(async () => {
  [m, other] = await Promise.all([createTestMandate({ balance: "100" }), createTestMandate({ balance: "100" })]);
  const users = [null, m.ownerId, m.memberId, null];
  await Promise.all(
    Array.from({ length: 40 }, (_, i) => {
      const [provider, model] = PROVIDERS[i % PROVIDERS.length] ?? ["openai", "gpt-4o"];
      return bookUsage({
        mandateId: m.mandateId,
        userId: users[i % users.length] ?? null,
        amount: `0.0${String(i).padStart(5, "0")}`.replace("0.000000", "0.000001"),
        idempotencyKey: `usage-${i}`,
        provider,
        model,
        featureCode: FEATURES[Math.floor(i / 3) % FEATURES.length],
        processingTime: "1.25",
        bytesSent: 1234 + i,
        bytesReceived: 99,
        errorCount: i % 2,
        occurredAt: T0,
      });
    }),
  );
  const pool = { accountId: m.poolAccountId };
  await Promise.all([
    ...Array.from({ length: 10 }, (_, i) =>
      debit({
        ...pool,
        amount: "0.5",
        idempotencyKey: `storage-${i}`,
        description: "storage",
        referenceType: "STORAGE",
        occurredAt: T1,
      }),
    ),
    ...Array.from({ length: 5 }, (_, i) =>
      credit({
        ...pool,
        amount: "10",
        idempotencyKey: `top-up-${i}`,
        description: "top-up",
        referenceType: "SYSTEM",
        occurredAt: T2,
      }),
    ),
    ...Array.from({ length: 3 }, (_, i) =>
      adjust({
        ...pool,
        amount: "-0.1",
        idempotencyKey: `fix-${i}`,
        reason: "fix",
        createdByUserId: m.adminId,
        occurredAt: T0,
      }),
    ),
  ]);
  await bookUsage({
    mandateId: other.mandateId,
    amount: "1",
    idempotencyKey: "other",
    provider: "openai",
    occurredAt: T0,
  });
});

/** Every page, following nextCursor; fails on a repeated id. */
async function allPages(opts: Omit<ListTransactionsOptions, "mandateId" | "cursor">): Promise<TransactionItem[]> {
  const items: TransactionItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const result = await listTransactions({ mandateId: m.mandateId, ...opts, cursor });
    expect(result.items.length).toBeLessThanOrEqual(opts.limit ?? 50);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
    expect(result.items).toHaveLength(opts.limit ?? 50);
  }
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  return items;
}

/** The pool account's rows matching `where`, last booked first, by Prisma. */
async function expectedIds(where: Prisma.BillingTransactionWhereInput = {}): Promise<string[]> {
  const rows = await prisma.billingTransaction.findMany({
    where: { accountId: m.poolAccountId, ...where },
    orderBy: [{ bookingSequence: "desc" }],
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

describe("listTransactions", () => {
  it("visits every pool transaction once, last booked first, across pages of tied call times", async () => {
    const expected = await expectedIds();
    expect(expected).toHaveLength(1 + 40 + 10 + 5 + 3);
    for (const limit of [1, 7, 50, 500]) {
      const items = await allPages({ limit });
      expect(items.map((i) => i.id)).toEqual(expected);
    }
    // Only the pool: the members' audit accounts repeat their usage and are not listed.
    const items = await allPages({ limit: 500 });
    expect(new Set(items.map((i) => i.accountId))).toEqual(new Set([m.poolAccountId]));
  });

  it("returns the seed's transaction fields with amounts as decimal strings", async () => {
    const page = await listTransactions({ mandateId: m.mandateId, provider: "anthropic", featureCode: "chat" });
    const item = page.items.find((i) => i.bytesSent === 1234 + 1);
    expect(item).toMatchObject({
      mandateId: m.mandateId,
      accountId: m.poolAccountId,
      transactionType: "DEBIT",
      amount: "0.000001",
      currency: "CHF",
      referenceType: "WORKFLOW",
      featureCode: "chat",
      aicoreProvider: "anthropic",
      aicoreModel: "claude-4-sonnet",
      createdByUserId: m.ownerId,
      processingTime: "1.250",
      bytesSent: 1235,
      bytesReceived: 99,
      errorCount: 1,
      createdAt: "2026-05-05T10:00:00.000000Z",
    });
    expect(item?.balanceAfter).toMatch(/^-?\d+\.\d{6}$/);
    expect(page.nextCursor).toBeNull();
  });

  it.each<[string, Omit<ListTransactionsOptions, "mandateId">, () => Prisma.BillingTransactionWhereInput, number]>([
    ["type", { type: "CREDIT" }, () => ({ transactionType: "CREDIT" }), 6],
    ["referenceType", { referenceType: "STORAGE" }, () => ({ referenceType: "STORAGE" }), 10],
    ["provider", { provider: "mistral" }, () => ({ aicoreProvider: "mistral" }), 13],
    ["model", { model: "gpt-4o" }, () => ({ aicoreModel: "gpt-4o" }), 14],
    ["featureCode", { featureCode: "chat" }, () => ({ featureCode: "chat" }), 15],
    ["userId", { userId: "member" }, () => ({ createdByUserId: m.memberId }), 10],
    ["userId of an admin", { userId: "admin" }, () => ({ createdByUserId: m.adminId }), 3],
    ["from", { from: T0.toISOString() }, () => ({ createdAt: { gte: T0 } }), 1 + 40 + 10 + 3],
    ["to", { to: "2026-05-05T12:00:00+02:00" }, () => ({ createdAt: { lt: T0 } }), 5],
    ["from and to", { from: "2026-05-05T10:00:00Z", to: T1.toISOString() }, () => ({ createdAt: T0 }), 43],
    [
      "type, provider and from",
      { type: "DEBIT", provider: "openai", from: T2.toISOString() },
      () => ({ transactionType: "DEBIT", aicoreProvider: "openai", createdAt: { gte: T2 } }),
      14,
    ],
  ])("filters by %s, across pages", async (_name, filter, where, count) => {
    const userId = filter.userId === "member" ? m.memberId : filter.userId === "admin" ? m.adminId : undefined;
    const items = await allPages({ ...filter, userId, limit: 4 });
    const expected = await expectedIds(where());
    expect(expected).toHaveLength(count);
    expect(items.map((i) => i.id)).toEqual(expected);
  });

  it("refuses a malformed cursor and a limit out of range", async () => {
    const valid = (await listTransactions({ mandateId: m.mandateId, limit: 1 })).nextCursor ?? "";
    const forged = Buffer.from(JSON.stringify(["2026-05-05T10:00:00Z", randomUUID()])).toString("base64url");
    for (const cursor of ["abc", "!!!", forged, valid.slice(0, -2), Buffer.from("[1,2]").toString("base64url")]) {
      const err = await listTransactions({ mandateId: m.mandateId, cursor }).catch((e: unknown) => e);
      expect(isDomainError(err, "VALIDATION_FAILED"), cursor).toBe(true);
      expect((err as { details?: unknown }).details).toEqual([{ path: "cursor", message: "invalid cursor" }]);
    }
    for (const limit of [0, 501, 1.5]) {
      const err = await listTransactions({ mandateId: m.mandateId, limit }).catch((e: unknown) => e);
      expect(isDomainError(err, "VALIDATION_FAILED"), String(limit)).toBe(true);
    }
  });

  it("lists only the named mandate and says NOT_FOUND for an unknown one", async () => {
    const page = await listTransactions({ mandateId: other.mandateId });
    expect(page.items.map((i) => i.mandateId)).toEqual([other.mandateId, other.mandateId]);
    const err = await listTransactions({ mandateId: randomUUID() }).catch((e: unknown) => e);
    expect(isDomainError(err, "NOT_FOUND")).toBe(true);
  });
});
