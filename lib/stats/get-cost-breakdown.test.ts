import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { getDashboardStatistics } from "@/lib/dashboard/get-dashboard-statistics";
import { bookUsage, bookUsageBatch } from "@/lib/ledger/book-usage";
import { debit } from "@/lib/ledger/post-transaction";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate, createTestUser, type TestMandate } from "@/testing/test-factories";
import { waitForRollup } from "@/testing/wait-for-rollup";
import { getCostBreakdown, UNATTRIBUTED, type CostBreakdown } from "./get-cost-breakdown";

/**
 * Cost by user and by model, read from the roll-up plus the queue: a user's line is their audit
 * account, the pool's cost no member caused is one "unattributed" line, the models come from
 * cost_by_model. A MEMBER's view holds their own line and models only.
 */
let m: TestMandate;
let formerMember: string;

const READ_WHOLE_QUEUE = { pendingReadLimit: 1_000_000_000 };

async function usage(at: string, amount: string, model: string | null, userId: string | null) {
  await bookUsage({
    mandateId: m.mandateId,
    userId,
    amount,
    provider: model ? "openai" : null,
    model,
    featureCode: "chat",
    idempotencyKey: randomUUID(),
    occurredAt: new Date(at),
  });
}

beforeAll(async () => {
  m = await createTestMandate({ balance: "100" });
  formerMember = await createTestUser("former");
  await prisma.membership.create({ data: { mandateId: m.mandateId, userId: formerMember, role: "MEMBER" } });
  await usage("2026-11-03T10:00:00Z", "1.250000", "gpt-4o", m.memberId);
  await usage("2026-11-04T10:00:00Z", "0.000001", "gpt-4o-mini", m.memberId);
  await usage("2026-11-05T10:00:00Z", "2.000000", "gpt-4o", m.adminId);
  await usage("2026-11-06T10:00:00Z", "0.500000", "gpt-4o", formerMember);
  await usage("2026-11-07T10:00:00Z", "0.100000", "claude-4-sonnet", null); // no user: machine call
  // 23:30 UTC on 30 November is 1 December in Zurich: outside November.
  await usage("2026-11-30T23:30:00Z", "9.000000", "gpt-4o", m.memberId);
  await debit({
    accountId: m.poolAccountId,
    amount: "0.05",
    idempotencyKey: randomUUID(),
    description: "storage overage",
    referenceType: "STORAGE",
    occurredAt: new Date("2026-11-20T10:00:00Z"),
  });
  await waitForRollup([m.mandateId]);
  // A former member's usage stays theirs.
  await prisma.membership.deleteMany({ where: { mandateId: m.mandateId, userId: formerMember } });
});

const NOVEMBER = { period: "DAY", year: 2026, month: 11 } as const;

function lines(breakdown: CostBreakdown["byUser"] | CostBreakdown["byModel"]) {
  return breakdown.map((line) => [line.key, line.amount, line.share, line.transactionCount]);
}

describe("getCostBreakdown", () => {
  it("gives owners every member's cost, the unattributed rest, and the pool's models, largest first", async () => {
    const november = await getCostBreakdown({ mandateId: m.mandateId, ...NOVEMBER, ...READ_WHOLE_QUEUE });
    expect(november.totalCost).toBe("3.900001");
    expect(november.complete).toBe(true);
    expect(lines(november.byUser)).toEqual([
      [m.adminId, "2.000000", "51.3", 1],
      [m.memberId, "1.250001", "32.1", 2],
      [formerMember, "0.500000", "12.8", 1],
      [UNATTRIBUTED, "0.150000", "3.8", 2],
      [m.ownerId, "0.000000", "0.0", 0],
    ]);
    expect(november.byUser.find((line) => line.key === m.adminId)?.name).toBe("Test admin");
    expect(november.byUser.find((line) => line.key === UNATTRIBUTED)?.name).toBeNull();
    expect(lines(november.byModel)).toEqual([
      ["gpt-4o", "3.750000", "96.2", null],
      ["claude-4-sonnet", "0.100000", "2.6", null],
      ["unknown", "0.050000", "1.3", null],
      ["gpt-4o-mini", "0.000001", "0.0", null],
    ]);
  });

  it("reads a year and a span of years from the same roll-up", async () => {
    const year = await getCostBreakdown({ mandateId: m.mandateId, period: "MONTH", year: 2026, ...READ_WHOLE_QUEUE });
    expect(year.totalCost).toBe("12.900001");
    expect(year.byUser[0]).toMatchObject({ key: m.memberId, amount: "10.250001", transactionCount: 3 });
    const years = await getCostBreakdown({ mandateId: m.mandateId, period: "YEAR", year: 2027, ...READ_WHOLE_QUEUE });
    expect(years.totalCost).toBe("12.900001");
    const before = await getCostBreakdown({ mandateId: m.mandateId, period: "MONTH", year: 2025, ...READ_WHOLE_QUEUE });
    expect(before.totalCost).toBe("0.000000");
    expect(before.byModel).toEqual([]);
    expect(before.byUser.map((line) => line.amount)).toEqual(["0.000000", "0.000000", "0.000000"]);
  });

  it("gives a user only their own line and models, never another's or the pool's", async () => {
    const own = await getCostBreakdown({
      mandateId: m.mandateId,
      ...NOVEMBER,
      userId: m.memberId,
      ...READ_WHOLE_QUEUE,
    });
    expect(own.totalCost).toBe("1.250001");
    expect(lines(own.byUser)).toEqual([[m.memberId, "1.250001", "100.0", 2]]);
    expect(lines(own.byModel)).toEqual([
      ["gpt-4o", "1.250000", "100.0", null],
      ["gpt-4o-mini", "0.000001", "0.0", null],
    ]);
    const owner = await getCostBreakdown({ mandateId: m.mandateId, ...NOVEMBER, userId: m.ownerId });
    expect(lines(owner.byUser)).toEqual([[m.ownerId, "0.000000", "0.0", 0]]);
    expect(owner.byModel).toEqual([]);
  });

  it("lets the role decide on the dashboard: a MEMBER gets their own line, an ADMIN everyone's", async () => {
    const member = await getDashboardStatistics(
      { mandateId: m.mandateId, userId: m.memberId, role: "MEMBER" },
      NOVEMBER,
    );
    expect(member.breakdown.byUser.map((line) => line.key)).toEqual([m.memberId]);
    expect(member.breakdown.totalCost).toBe(member.totals.totalCost);
    const admin = await getDashboardStatistics({ mandateId: m.mandateId, userId: m.adminId, role: "ADMIN" }, NOVEMBER);
    expect(admin.breakdown.byUser.map((line) => line.key).sort()).toEqual(
      [m.adminId, m.memberId, m.ownerId, formerMember, UNATTRIBUTED].sort(),
    );
  });

  it("counts queued debits, with their model, before the roll-up takes them", async () => {
    const other = await createTestMandate({ balance: "10" });
    const event = (userId: string | null, amount: string, model: string) => ({
      mandateId: other.mandateId,
      userId,
      amount,
      provider: "mistral",
      model,
      featureCode: "chat",
      idempotencyKey: randomUUID(),
      occurredAt: new Date("2026-11-10T10:00:00Z"),
    });
    // The pool's and the member's aggregate rows of that day exist, rolled up.
    await bookUsage(event(other.memberId, "0.100000", "mistral-small"));
    await waitForRollup([other.mandateId]);
    await ownerPrisma.$transaction(async (tx) => {
      // Locking them makes any roll-up that takes the batch below wait before it commits, so
      // to every reader the batch stays queued until this transaction ends.
      await tx.$queryRaw`
        SELECT s.id FROM usage_statistics s JOIN billing_account a ON a.id = s.account_id
         WHERE a.mandate_id = ${other.mandateId}::uuid FOR UPDATE OF s`;
      await bookUsageBatch([
        event(other.memberId, "0.300000", "mistral-small"),
        event(null, "0.200000", "mistral-large"),
      ]);
      const queued = await getCostBreakdown({ mandateId: other.mandateId, ...NOVEMBER, ...READ_WHOLE_QUEUE });
      expect(lines(queued.byModel)).toEqual([
        ["mistral-small", "0.400000", "66.7", null],
        ["mistral-large", "0.200000", "33.3", null],
      ]);
      expect(lines(queued.byUser).slice(0, 2)).toEqual([
        [other.memberId, "0.400000", "66.7", 2],
        [UNATTRIBUTED, "0.200000", "33.3", 1],
      ]);
      const behind = await getCostBreakdown({ mandateId: other.mandateId, ...NOVEMBER, pendingReadLimit: 0 });
      expect(behind.complete).toBe(false);
      expect(behind.totalCost).toBe("0.100000");
    });
    await waitForRollup([other.mandateId]);
    const rolled = await getCostBreakdown({ mandateId: other.mandateId, ...NOVEMBER, ...READ_WHOLE_QUEUE });
    expect(lines(rolled.byModel)).toEqual([
      ["mistral-small", "0.400000", "66.7", null],
      ["mistral-large", "0.200000", "33.3", null],
    ]);
    const [stored] = await prisma.$queryRaw<{ by_model: unknown }[]>`
      SELECT s.cost_by_model AS by_model FROM usage_statistics s
       WHERE s.account_id = ${other.poolAccountId}::uuid AND s.period_type = 'YEAR'`;
    expect(stored?.by_model).toEqual({ "mistral-small": "0.400000", "mistral-large": "0.200000" });
  });

  it("refuses a DAY view without a month", async () => {
    await expect(getCostBreakdown({ mandateId: m.mandateId, period: "DAY", year: 2026 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
  });
});
