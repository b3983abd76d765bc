import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { bookUsage } from "@/lib/ledger/book-usage";
import { adjust, credit, debit } from "@/lib/ledger/post-transaction";
import { getStatistics, type BillingStatistics } from "./get-statistics";
import { waitForRollup } from "@/testing/wait-for-rollup";

/**
 * Statistics are exact at any moment: rolled-up rows plus debits still queued, bucketed by
 * Zurich's calendar. Debits are booked at instants around the boundaries; half are rolled up
 * before reading, half are held in the queue while reading.
 */
let m: TestMandate;

async function usageAt(iso: string, amount: string, provider: string | null, featureCode: string | null, user = false) {
  await bookUsage({
    mandateId: m.mandateId,
    userId: user ? m.memberId : null,
    amount,
    provider,
    featureCode,
    idempotencyKey: randomUUID(),
    occurredAt: new Date(iso),
  });
}

const ZERO = { totalCost: "0.000000", transactionCount: 0, byProvider: {} };

function point(label: string, totalCost: string, transactionCount: number, byProvider: Record<string, string>) {
  return { label, totalCost, transactionCount, byProvider };
}

const EXPECTED_DAY = {
  period: "DAY",
  year: 2026,
  month: 11,
  currency: "CHF",
  complete: true,
  totals: {
    totalCost: "3.550001",
    transactionCount: 5,
    byProvider: { anthropic: "0.000001", openai: "2.833333", unknown: "0.716667" },
    byFeature: { chat: "2.500001", automation: "0.333333", unknown: "0.716667" },
  },
};

function expectDayPoints(stats: BillingStatistics): void {
  expect(stats.data).toHaveLength(30);
  const special: Record<string, ReturnType<typeof point>> = {
    "2026-11-01": point("2026-11-01", "0.000001", 1, { anthropic: "0.000001" }),
    "2026-11-15": point("2026-11-15", "1.000000", 2, { openai: "0.333333", unknown: "0.666667" }),
    "2026-11-20": point("2026-11-20", "0.050000", 1, { unknown: "0.050000" }),
    "2026-11-30": point("2026-11-30", "2.500000", 1, { openai: "2.500000" }),
  };
  stats.data.forEach((p, i) => {
    const label = `2026-11-${String(i + 1).padStart(2, "0")}`;
    expect(p).toEqual(special[label] ?? { label, ...ZERO });
  });
}

beforeAll(async () => {
  m = await createTestMandate({ balance: "100" });
  // Rolled up before any read.
  await usageAt("2025-12-31T22:59:59.999Z", "0.200000", "openai", "chat"); // 2025-12-31 in Zurich
  await usageAt("2025-12-31T23:00:00.000Z", "0.100000", "openai", "chat"); // 2026-01-01
  await usageAt("2026-10-31T22:59:59.999Z", "1.000000", "anthropic", "chat"); // 2026-10-31
  await usageAt("2026-10-31T23:00:00.000Z", "0.000001", "anthropic", "chat"); // 2026-11-01
  await usageAt("2026-11-15T12:00:00.000Z", "0.333333", "openai", "automation", true); // pool + audit account
  // Neither credits nor adjustments are usage.
  const base = { accountId: m.poolAccountId, description: "not usage", occurredAt: new Date("2026-11-15T12:00:00Z") };
  await credit({ ...base, amount: "50", idempotencyKey: randomUUID(), referenceType: "SYSTEM" });
  await adjust({ ...base, amount: "-7", idempotencyKey: randomUUID(), reason: "fix", createdByUserId: m.ownerId });
  await waitForRollup([m.mandateId]);
});

/**
 * Reads past any backlog: other test files book thousands of debits at once, and the queue is
 * platform-wide, so it may pass PENDING_READ_LIMIT at any moment. What the limit does is tested
 * with pendingReadLimit 0 below.
 */
const READ_WHOLE_QUEUE = { pendingReadLimit: 1_000_000_000 };

/** DAY, MONTH and YEAR of 2026. */
async function allPeriods(): Promise<BillingStatistics[]> {
  return Promise.all([
    getStatistics({ mandateId: m.mandateId, period: "DAY", year: 2026, month: 11, ...READ_WHOLE_QUEUE }),
    getStatistics({ mandateId: m.mandateId, period: "MONTH", year: 2026, ...READ_WHOLE_QUEUE }),
    getStatistics({ mandateId: m.mandateId, period: "YEAR", year: 2026, ...READ_WHOLE_QUEUE }),
  ]);
}

describe("getStatistics", () => {
  let whileQueued: BillingStatistics[] = [];

  it("counts queued debits exactly while the roll-up has not taken them", async () => {
    // Locking the mandate's aggregate rows makes any roll-up that takes the debits below wait
    // before it commits, so to every reader they stay queued until this transaction ends.
    whileQueued = await ownerPrisma.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ id: string }[]>`
          SELECT s.id FROM usage_statistics s JOIN billing_account a ON a.id = s.account_id
           WHERE a.mandate_id = ${m.mandateId}::uuid FOR UPDATE OF s`;
        expect(locked.length).toBeGreaterThan(0);
        await usageAt("2026-11-15T22:59:59.999Z", "0.666667", null, null); // 2026-11-15 23:59:59.999 CET
        await usageAt("2026-11-30T22:59:59.999Z", "2.500000", "openai", "chat", true); // 2026-11-30
        await usageAt("2026-11-30T23:00:00.000Z", "9.000000", "openai", "chat"); // 2026-12-01
        await debit({
          accountId: m.poolAccountId,
          amount: "0.05",
          idempotencyKey: randomUUID(),
          description: "storage overage",
          referenceType: "STORAGE",
          occurredAt: new Date("2026-11-20T10:00:00Z"),
        });
        const [queued] = await prisma.$queryRaw<{ n: number }[]>`
          SELECT coalesce(sum(q.transaction_count), 0)::int AS n
            FROM usage_rollup_queue q JOIN billing_account a ON a.id = q.account_id
           WHERE a.mandate_id = ${m.mandateId}::uuid`;
        expect(queued?.n).toBe(5); // four pool debits and one audit debit
        // A backlog over the read limit: the rolled-up figures alone, said to be incomplete.
        const behind = await getStatistics({
          mandateId: m.mandateId,
          period: "DAY",
          year: 2026,
          month: 11,
          pendingReadLimit: 0,
        });
        expect(behind.complete).toBe(false);
        expect(behind.totals).toEqual({
          totalCost: "0.333334",
          transactionCount: 2,
          byProvider: { anthropic: "0.000001", openai: "0.333333" },
          byFeature: { chat: "0.000001", automation: "0.333333" },
        });
        return allPeriods();
      },
      { timeout: 60_000 },
    );
    const [day, month, year] = whileQueued;

    expect(day).toMatchObject({ mandateId: m.mandateId, ...EXPECTED_DAY });
    if (day) expectDayPoints(day);

    expect(month?.month).toBeNull();
    expect(month?.data.map((p) => [p.label, p.totalCost, p.transactionCount])).toEqual([
      ["2026-01", "0.100000", 1],
      ...["02", "03", "04", "05", "06", "07", "08", "09"].map((mm) => [`2026-${mm}`, "0.000000", 0]),
      ["2026-10", "1.000000", 1],
      ["2026-11", "3.550001", 5],
      ["2026-12", "9.000000", 1],
    ]);
    expect(month?.totals).toEqual({
      totalCost: "13.650001",
      transactionCount: 8,
      byProvider: { anthropic: "1.000001", openai: "11.933333", unknown: "0.716667" },
      byFeature: { chat: "12.600001", automation: "0.333333", unknown: "0.716667" },
    });

    expect(year?.data).toEqual([
      { label: "2022", ...ZERO },
      { label: "2023", ...ZERO },
      { label: "2024", ...ZERO },
      point("2025", "0.200000", 1, { openai: "0.200000" }),
      point("2026", "13.650001", 8, { anthropic: "1.000001", openai: "11.933333", unknown: "0.716667" }),
    ]);
    expect(year?.totals.totalCost).toBe("13.850001");
    expect(year?.totals.transactionCount).toBe(9);
  });

  it("gives the same answer once everything is rolled up", async () => {
    await waitForRollup([m.mandateId]);
    expect(await allPeriods()).toEqual(whileQueued);
  });

  it("reads a user's audit account alone when asked for that user, and zeros for a user who never spent", async () => {
    // After the roll-up above; the member's second debit was queued in the first test.
    const own = await getStatistics({
      mandateId: m.mandateId,
      period: "DAY",
      year: 2026,
      month: 11,
      userId: m.memberId,
      ...READ_WHOLE_QUEUE,
    });
    expect(own).toMatchObject({ mandateId: m.mandateId, period: "DAY", month: 11, currency: "CHF", complete: true });
    expect(own.totals).toEqual({
      totalCost: "2.833333",
      transactionCount: 2,
      byProvider: { openai: "2.833333" },
      byFeature: { automation: "0.333333", chat: "2.500000" },
    });
    expect(own.data.find((p) => p.label === "2026-11-30")).toEqual(
      point("2026-11-30", "2.500000", 1, { openai: "2.500000" }),
    );
    const year = await getStatistics({
      mandateId: m.mandateId,
      period: "YEAR",
      year: 2026,
      userId: m.memberId,
      ...READ_WHOLE_QUEUE,
    });
    expect(year.totals.totalCost).toBe("2.833333");

    // The owner booked no usage (only an adjustment): no audit account, so zeros, not the pool.
    for (const userId of [m.ownerId, randomUUID(), "not-a-uuid"]) {
      const none = await getStatistics({ mandateId: m.mandateId, period: "MONTH", year: 2026, userId });
      expect(none.totals).toEqual({ totalCost: "0.000000", transactionCount: 0, byProvider: {}, byFeature: {} });
      expect(none.data).toHaveLength(12);
    }
    const unknown = await getStatistics({
      mandateId: randomUUID(),
      period: "YEAR",
      year: 2026,
      userId: m.memberId,
    }).catch((e: unknown) => e);
    expect(isDomainError(unknown, "NOT_FOUND")).toBe(true);
  });

  it("refuses a DAY statistic without a month and an unknown mandate", async () => {
    const noMonth = await getStatistics({ mandateId: m.mandateId, period: "DAY", year: 2026 }).catch((e: unknown) => e);
    expect(isDomainError(noMonth, "VALIDATION_FAILED")).toBe(true);
    const unknown = await getStatistics({ mandateId: randomUUID(), period: "YEAR", year: 2026 }).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(unknown, "NOT_FOUND")).toBe(true);
  });

  it("shows February with its 28 days and an empty mandate as zeros", async () => {
    const empty = await createTestMandate();
    const stats = await getStatistics({ mandateId: empty.mandateId, period: "DAY", year: 2026, month: 2 });
    expect(stats.data.map((p) => p.label)).toEqual(
      Array.from({ length: 28 }, (_, i) => `2026-02-${String(i + 1).padStart(2, "0")}`),
    );
    expect(stats.totals).toEqual({ totalCost: "0.000000", transactionCount: 0, byProvider: {}, byFeature: {} });
  });
});
