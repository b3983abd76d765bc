import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import type { ErrorBody } from "@/lib/http/error-response";
import { bookUsage } from "@/lib/ledger/book-usage";
import { credit, debit } from "@/lib/ledger/post-transaction";
import { add, Money, toMoneyString } from "@/lib/money/money";
import type { BillingStatistics } from "@/lib/stats/get-statistics";
import { rollupUsage } from "@/lib/stats/rollup-usage";
import { apiClient, createTestApiKey } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";
import { waitForRollup } from "@/testing/wait-for-rollup";
import { waitUntil } from "@/testing/wait-until";

// Access (401, 403, 404, malformed id) for every mandate read route: ../access.http.test.ts.
const app = appServerForThisFile();
let m: TestMandate;
let api: ReturnType<typeof apiClient>;

const PROVIDERS = ["anthropic", "openai", null] as const;

/** Every debit booked on the pool: the expectation, kept here rather than read back. */
const debits: { amount: string; at: Date }[] = [];

beforeAll(async () => {
  m = await createTestMandate({ balance: "50" });
  api = apiClient(app.baseUrl, await createTestApiKey(m.mandateId));
  // 60 debits spread over 2024-2026 (some right at Zurich's midnight), booked 30 at a time. The
  // first 30 are rolled up before the reads; the rest may still be queued when they run (the
  // servers roll up every second, or not yet), so the route must add both exactly.
  const usage = (i: number) =>
    bookUsage({
      mandateId: m.mandateId,
      userId: i % 2 ? m.memberId : null,
      amount: `0.${String(7919 * (i + 1))
        .padStart(6, "0")
        .slice(-6)}`,
      idempotencyKey: randomUUID(),
      provider: PROVIDERS[i % 3],
      featureCode: i % 4 ? "chat" : null,
      occurredAt: new Date(Date.UTC(2024 + (i % 3), (i * 5) % 12, 1 + (i % 28), i % 2 ? 23 : 22, 0, 0)),
    });
  const rolledUp = await Promise.all(Array.from({ length: 30 }, (_, i) => usage(i)));
  await waitForRollup([m.mandateId]);
  const maybeQueued = await Promise.all(Array.from({ length: 30 }, (_, i) => usage(30 + i)));
  debits.push(...[...rolledUp, ...maybeQueued].map(({ pool }) => ({ amount: pool.amount, at: pool.createdAt })));
  const storage = await debit({
    accountId: m.poolAccountId,
    amount: "1.5",
    idempotencyKey: randomUUID(),
    description: "storage overage",
    referenceType: "STORAGE",
    occurredAt: new Date("2026-11-30T22:59:59.999Z"), // 30 November in Zurich
  });
  debits.push({ amount: storage.amount, at: storage.createdAt });
  await credit({ accountId: m.poolAccountId, amount: "9", idempotencyKey: randomUUID(), description: "not usage" });
}, 600_000);

const url = (query: string) => `/api/v1/mandates/${m.mandateId}/statistics?${query}`;

/**
 * Other test files book thousands of debits at once; should the platform-wide roll-up queue pass
 * the read limit for a moment, the answer says it is incomplete: roll the backlog up here, rather
 * than wait for the servers' roll-ups to catch up, and ask again.
 */
async function getComplete(query: string): Promise<{ status: number; body: BillingStatistics }> {
  let res = await api.get<BillingStatistics>(url(query));
  await waitUntil(`a complete answer to ${query}`, async () => {
    if (res.status === 200 && !res.body.complete) {
      await rollupUsage({ maxBatches: 1_000 });
      res = await api.get<BillingStatistics>(url(query));
    }
    return res.status !== 200 || res.body.complete;
  });
  return res;
}

/** Sum and count of the pool's debits booked in [from, to). */
function ledgerSum(from: string, to: string): { totalCost: string; transactionCount: number } {
  const inRange = debits.filter(({ at }) => at >= new Date(from) && at < new Date(to));
  const total = inRange.reduce<Money>((acc, d) => add(acc, d.amount), new Money(0));
  return { totalCost: toMoneyString(total), transactionCount: inRange.length };
}

describe("GET /api/v1/mandates/{mandateId}/statistics", () => {
  it("DAY: one point per day of the month, totals equal to the ledger's debits of that Zurich month", async () => {
    const res = await getComplete("period=DAY&year=2026&month=11");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mandateId: m.mandateId, period: "DAY", year: 2026, month: 11, currency: "CHF" });
    expect(res.body.complete).toBe(true);
    expect(res.body.data).toHaveLength(30);
    expect(res.body.data[29]?.label).toBe("2026-11-30");
    // Zurich's November 2026 is [31 Oct 23:00 UTC, 30 Nov 23:00 UTC).
    const ledger = ledgerSum("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z");
    expect(res.body.totals).toMatchObject(ledger);
    expect(res.body.totals.byProvider.unknown).toBeDefined(); // the storage debit
  });

  it("MONTH and YEAR: points and totals equal to the ledger's debits of each period", async () => {
    const month = await getComplete("period=MONTH&year=2025");
    expect(month.status).toBe(200);
    expect(month.body.data.map((p) => p.label)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`),
    );
    expect(month.body.totals).toMatchObject(ledgerSum("2024-12-31T23:00:00Z", "2025-12-31T23:00:00Z"));
    // June 2025 in Zurich (summer time): [31 May 22:00 UTC, 30 June 22:00 UTC).
    expect(month.body.data[5]).toMatchObject(ledgerSum("2025-05-31T22:00:00Z", "2025-06-30T22:00:00Z"));

    const year = await getComplete("period=YEAR&year=2026");
    expect(year.body.data.map((p) => p.label)).toEqual(["2022", "2023", "2024", "2025", "2026"]);
    expect(year.body.totals).toMatchObject(ledgerSum("2021-12-31T23:00:00Z", "2026-12-31T23:00:00Z"));
    expect(year.body.totals.transactionCount).toBe(61);
    for (const [i, label] of ["2024", "2025", "2026"].entries()) {
      expect(year.body.data[i + 2]).toMatchObject({
        label,
        ...ledgerSum(`${2023 + i}-12-31T23:00:00Z`, `${2024 + i}-12-31T23:00:00Z`),
      });
    }
    // Each breakdown adds up to its point's total (debits without a provider are "unknown").
    for (const point of year.body.data) {
      const sum = Object.values(point.byProvider).reduce<Money>((acc, v) => add(acc, v), new Money(0));
      expect(toMoneyString(sum)).toBe(point.totalCost);
    }
  });

  it.each([
    ["period=WEEK&year=2026", ["period"]],
    ["year=2026", ["period"]],
    ["period=MONTH", ["year"]],
    ["period=MONTH&year=abc", ["year"]],
    ["period=MONTH&year=1999", ["year"]],
    ["period=MONTH&year=2026.5", ["year"]],
    ["period=DAY&year=2026", ["month"]],
    ["period=DAY&year=2026&month=13", ["month"]],
    ["period=DAY&year=2026&month=0", ["month"]],
    ["period=FOO&year=x&month=y", ["period", "year", "month"]],
  ])("400 for %s, naming %j", async (query, paths) => {
    const res = await api.get<ErrorBody>(url(query));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    const details = res.body.error.details as { path: string }[];
    expect(details.map((d) => d.path).sort()).toEqual([...paths].sort());
  });
});
