import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { bookUsage } from "@/lib/ledger/book-usage";
import { adjust } from "@/lib/ledger/post-transaction";
import { countTransactionViews, listTransactionViews, type TransactionView } from "./list-transaction-views";
import { errorResponse } from "@/lib/http/error-response";
import { countTransactions } from "@/lib/ledger/list-transactions";
import {
  parseTransactionSearchParams,
  quickRangeDays,
  toTransactionFilter,
  TransactionQuery,
} from "./transaction-query";
import type { DashboardViewer } from "./viewer";

/**
 * Who sees which transactions on the dashboard. A MEMBER's list is their own audit account,
 * whatever the query says; owners and admins see the pool. The URL is the attack surface, so
 * every widening attempt goes through the same schema the routes parse with.
 */
let m: TestMandate;
let owner: DashboardViewer;
let admin: DashboardViewer;
let member: DashboardViewer;

beforeAll(async () => {
  m = await createTestMandate({ balance: "20" });
  owner = { mandateId: m.mandateId, userId: m.ownerId, role: "OWNER" };
  admin = { mandateId: m.mandateId, userId: m.adminId, role: "ADMIN" };
  member = { mandateId: m.mandateId, userId: m.memberId, role: "MEMBER" };
  const users = [m.memberId, m.ownerId, m.adminId, null];
  await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      bookUsage({
        mandateId: m.mandateId,
        userId: users[i % users.length] ?? null,
        amount: `0.${String(i + 1).padStart(6, "0")}`,
        idempotencyKey: `usage-${i}`,
        provider: i % 2 ? "anthropic" : "openai",
        featureCode: "chat",
        // 23:30 UTC on 31 December is 1 January in Zurich: the date filter must say so.
        occurredAt: new Date(i < 12 ? "2025-12-31T23:30:00Z" : "2025-12-31T12:00:00Z"),
      }),
    ),
  );
  await adjust({
    accountId: m.poolAccountId,
    amount: "-1",
    idempotencyKey: "fix",
    reason: "fix",
    createdByUserId: m.ownerId,
  });
});

async function all(viewer: DashboardViewer, raw: Record<string, string>): Promise<TransactionView[]> {
  const query = TransactionQuery.parse(raw);
  const items: TransactionView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTransactionViews(viewer, { ...query, cursor }, 5);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect(await countTransactionViews(viewer, query)).toBe(items.length);
  return items;
}

describe("dashboard transactions by role", () => {
  it("shows a MEMBER only their own audit account, and no parameter widens it", async () => {
    const audit = await prisma.billingAccount.findFirstOrThrow({
      where: { mandateId: m.mandateId, userId: m.memberId },
    });
    const own = await all(member, {});
    expect(own).toHaveLength(6);
    for (const row of own) {
      expect(row).toMatchObject({ accountId: audit.id, createdByUserId: m.memberId, createdByUserName: "Test member" });
    }
    const attempts: Record<string, string>[] = [
      { user: m.ownerId },
      { user: m.adminId, sort: "amount", dir: "desc" },
      { user: m.memberId, type: "ADJUSTMENT" },
      { provider: "openai", user: randomUUID() },
      { type: "CREDIT" },
    ];
    for (const raw of attempts) {
      const rows = await all(member, raw);
      expect(
        rows.every((row) => row.accountId === audit.id),
        JSON.stringify(raw),
      ).toBe(true);
    }
    expect(await all(member, { user: m.ownerId })).toHaveLength(6);
    expect(await all(member, { provider: "anthropic" })).toHaveLength(0); // member's usage is every 4th: openai
  });

  it("shows owners and admins the pool, with the user filter meaning 'caused by'", async () => {
    const pool = await all(owner, {});
    expect(pool).toHaveLength(1 + 24 + 1);
    expect(new Set(pool.map((row) => row.accountId))).toEqual(new Set([m.poolAccountId]));
    const byOwner = await all(admin, { user: m.ownerId });
    expect(byOwner.map((row) => row.transactionType).sort()).toEqual(
      [...Array<string>(6).fill("DEBIT"), "ADJUSTMENT"].sort(),
    );
    expect(byOwner.every((row) => row.createdByUserName === "Test owner")).toBe(true);
  });

  it("filters by Zurich calendar days, inclusive of the last day", async () => {
    expect(await all(owner, { from: "2026-01-01", to: "2026-01-01", type: "DEBIT" })).toHaveLength(12);
    expect(await all(owner, { from: "2025-12-31", to: "2025-12-31", type: "DEBIT" })).toHaveLength(12);
    expect(await all(owner, { to: "2025-12-30" })).toHaveLength(0);
  });

  it("sorts by amount with its own cursor, and the page parser drops what does not parse", async () => {
    const rows = await all(owner, { sort: "amount", dir: "asc", provider: "openai" });
    expect(rows.map((row) => row.amount)).toEqual([...rows.map((row) => row.amount)].sort());
    expect(rows).toHaveLength(12);
    expect(parseTransactionSearchParams({ sort: "amount", dir: ["asc", "desc"], provider: "" })).toEqual({
      sort: "amount",
      dir: "asc",
    });
    expect(parseTransactionSearchParams({ user: "not-a-uuid", provider: "openai" })).toEqual({});
    expect(TransactionQuery.safeParse({ from: "2026-02-01", to: "2026-01-01" }).success).toBe(false);
  });
});

describe("TransactionQuery's days", () => {
  it.each(["1970-01-01", "2026-02-28", "2024-02-29", "9998-12-31"])("takes %s", (day) => {
    expect(TransactionQuery.safeParse({ from: day, to: day }).success).toBe(true);
  });

  // Days JavaScript would read as others (years 0-99 as 1900-1999, 30 February as 2 March), and
  // the last day of 9999, whose next day (the `to` filter's exclusive end) has five digits.
  it.each(["0050-06-01", "1969-12-31", "2026-02-30", "2023-02-29", "2026-04-31", "9999-12-31"])(
    "refuses %s on the field",
    (day) => {
      const parsed = TransactionQuery.safeParse({ to: day });
      expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join("."))).toEqual(["to"]);
    },
  );
});

describe("quick ranges", () => {
  // 23:30 UTC on 31 January is already 1 February in Zurich (UTC+1): "this month" is February.
  const zurichFirstOfFebruary = new Date("2026-01-31T23:30:00Z");
  const stillJanuaryInZurich = new Date("2026-01-31T22:30:00Z");

  it.each([
    ["today", zurichFirstOfFebruary, { from: "2026-02-01", to: "2026-02-01" }],
    ["thisMonth", zurichFirstOfFebruary, { from: "2026-02-01", to: "2026-02-28" }],
    ["lastMonth", zurichFirstOfFebruary, { from: "2026-01-01", to: "2026-01-31" }],
    ["last30Days", zurichFirstOfFebruary, { from: "2026-01-03", to: "2026-02-01" }],
    ["today", stillJanuaryInZurich, { from: "2026-01-31", to: "2026-01-31" }],
    ["thisMonth", stillJanuaryInZurich, { from: "2026-01-01", to: "2026-01-31" }],
    ["lastMonth", stillJanuaryInZurich, { from: "2025-12-01", to: "2025-12-31" }],
    ["last30Days", new Date("2026-03-01T12:00:00Z"), { from: "2026-01-31", to: "2026-03-01" }],
    ["lastMonth", new Date("2024-03-15T12:00:00Z"), { from: "2024-02-01", to: "2024-02-29" }],
  ] as const)("%s at %s", (range, now, days) => {
    expect(quickRangeDays(range, now)).toEqual(days);
  });

  it("selects the range's Zurich days, read when the list is read", async () => {
    // The usage of beforeAll: 12 calls on 1 January in Zurich, 12 on 31 December.
    const viewer = owner;
    const query = TransactionQuery.parse({ range: "thisMonth", type: "DEBIT" });
    expect(toTransactionFilter(viewer, query, new Date("2026-01-10T12:00:00Z"))).toMatchObject({
      from: "2025-12-31T23:00:00.000Z",
      to: "2026-01-31T23:00:00.000Z",
    });
    const inJanuary = await countTransactions(toTransactionFilter(viewer, query, new Date("2026-01-10T12:00:00Z")));
    const inDecember = await countTransactions(toTransactionFilter(viewer, query, new Date("2025-12-31T12:00:00Z")));
    expect([inJanuary, inDecember]).toEqual([12, 12]);
  });

  it("refuses a range together with dates, on the range", () => {
    const parsed = TransactionQuery.safeParse({ range: "today", from: "2026-01-01" });
    expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join("."))).toEqual(["range"]);
    expect(TransactionQuery.safeParse({ range: "yesterday" }).success).toBe(false);
  });
});

describe("refused filters", () => {
  it("answer 400 with the field paths the page shows the reasons at", async () => {
    const parsed = TransactionQuery.safeParse({ from: "2026-02-01", to: "2026-01-01", q: "x\u0007" });
    if (parsed.success) throw new Error("parsed");
    const response = errorResponse(parsed.error);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.details.map((detail) => detail.path).sort()).toEqual(["q", "to"]);
  });

  it("take a search, trimmed, and the page number as digits", () => {
    expect(TransactionQuery.parse({ q: "  Sonnet ", page: "3" })).toEqual({ q: "Sonnet", page: 3 });
    expect(TransactionQuery.safeParse({ page: "0" }).success).toBe(false);
    expect(TransactionQuery.safeParse({ cursor: "a", before: "b" }).success).toBe(false);
  });
});
