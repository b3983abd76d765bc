import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import type { ErrorBody } from "@/lib/http/error-response";
import { bookUsage } from "@/lib/ledger/book-usage";
import { listTransactions, type TransactionPage } from "@/lib/ledger/list-transactions";
import { apiClient, createTestApiKey } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";

// Access (401, 403, 404, malformed id) for every mandate read route: ../access.http.test.ts.
const app = appServerForThisFile();
let m: TestMandate;
let api: ReturnType<typeof apiClient>;
const AT = new Date("2026-02-03T04:05:06.789Z");
/** The pool transactions booked: the initial credit's is looked up, the debits' kept here. */
const poolIds: string[] = [];

beforeAll(async () => {
  m = await createTestMandate({ balance: "10" });
  api = apiClient(app.baseUrl, await createTestApiKey(m.mandateId));
  // Half of them at one instant: pages must still split cleanly between tied timestamps.
  const booked = await Promise.all(
    Array.from({ length: 23 }, (_, i) =>
      bookUsage({
        mandateId: m.mandateId,
        userId: i % 3 ? null : m.memberId,
        amount: `0.${String(i + 1).padStart(6, "0")}`,
        idempotencyKey: randomUUID(),
        provider: i % 2 ? "openai" : "anthropic",
        model: i % 2 ? "gpt-4o" : "claude-4-sonnet",
        featureCode: "chat",
        bytesSent: 1000 + i,
        occurredAt: i % 2 ? AT : null,
      }),
    ),
  );
  poolIds.push(...booked.map((b) => b.pool.transactionId));
}, 600_000);

const url = (query = "") => `/api/v1/mandates/${m.mandateId}/transactions${query ? `?${query}` : ""}`;

async function walk(query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: TransactionPage } = await api.get<TransactionPage>(
      url(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
    );
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((i) => i.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}

describe("GET /api/v1/mandates/{mandateId}/transactions", () => {
  it("pages through the pool's transactions newest first, each exactly once", async () => {
    // The order itself is checked against the database in lib/ledger/list-transactions.test.ts.
    const all = await listTransactions({ mandateId: m.mandateId, limit: 500 });
    const expected = all.items.map((i) => i.id);
    expect(expected).toHaveLength(24);
    expect(expected).toEqual(expect.arrayContaining(poolIds));
    expect(await walk("limit=5")).toEqual(expected);

    const first = await api.get<TransactionPage>(url());
    expect(first.body.items).toHaveLength(24); // default page size 50
    expect(first.body.nextCursor).toBeNull();
  });

  it("filters, and returns amounts as decimal strings and byte counts as numbers", async () => {
    const res = await api.get<TransactionPage>(
      url(`provider=openai&userId=${m.memberId}&from=2026-02-03T05:05:06.789%2B01:00&to=2026-02-04T00:00:00Z`),
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const item of res.body.items) {
      expect(item).toMatchObject({
        accountId: m.poolAccountId,
        transactionType: "DEBIT",
        aicoreProvider: "openai",
        aicoreModel: "gpt-4o",
        createdByUserId: m.memberId,
        createdAt: "2026-02-03T04:05:06.789000Z",
        currency: "CHF",
      });
      expect(item.amount).toMatch(/^0\.0000\d\d$/);
      expect(typeof item.bytesSent).toBe("number");
    }
    // odd i with i % 3 === 0 among 0..22: 3, 9, 15, 21
    expect(res.body.items.map((i) => i.amount).sort()).toEqual(["0.000004", "0.000010", "0.000016", "0.000022"]);
    expect((await walk("type=DEBIT&model=claude-4-sonnet&limit=3")).length).toBe(12);
    expect(await walk("type=CREDIT&referenceType=SYSTEM")).toHaveLength(1);
  });

  it.each([
    ["limit=0", ["limit"]],
    ["limit=501", ["limit"]],
    ["limit=ten", ["limit"]],
    ["cursor=not-a-cursor", ["cursor"]],
    ["type=REFUND", ["type"]],
    ["referenceType=nope", ["referenceType"]],
    ["userId=42", ["userId"]],
    ["from=yesterday", ["from"]],
    ["from=2026-02-04T00:00:00Z&to=2026-02-03T00:00:00Z", ["to"]],
    ["limit=0&to=later", ["limit", "to"]],
  ])("400 for %s, naming %j", async (query, paths) => {
    const res = await api.get<ErrorBody>(url(query));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect((res.body.error.details as { path: string }[]).map((d) => d.path).sort()).toEqual([...paths].sort());
  });
});
