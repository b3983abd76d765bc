import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { bookUsage } from "@/lib/ledger/book-usage";
import { getOverview, providerShares } from "./get-overview";
import type { DashboardViewer } from "./viewer";

/** "Now" for the overview: 15 March 2026; its month is the one whose cost it shows. */
const NOW = new Date("2026-03-15T12:00:00Z");
let m: TestMandate;
let owner: DashboardViewer;
let member: DashboardViewer;

beforeAll(async () => {
  m = await createTestMandate({ balance: "10" });
  owner = { mandateId: m.mandateId, userId: m.ownerId, role: "OWNER" };
  member = { mandateId: m.mandateId, userId: m.memberId, role: "MEMBER" };
  // The threshold is 90 % of the budget (the 10 CHF credited this month): 9 CHF.
  await prisma.billingSettings.update({
    where: { mandateId: m.mandateId },
    data: {
      warningThresholdPercent: "90",
      autoRechargeEnabled: true,
      stripePaymentMethodId: "pm_card_visa",
      cardBrand: "visa",
      cardLast4: "4242",
      rechargeAmountCHF: "50",
      rechargeMaxPerMonth: 3,
      rechargesThisMonth: 1,
      monthResetAt: new Date(),
    },
  });
  const usage: [string, string, string | null, boolean][] = [
    ["2026-03-01T08:00:00Z", "0.750000", "anthropic", true],
    ["2026-03-02T08:00:00Z", "0.250000", "openai", false],
    ["2026-03-03T08:00:00Z", "0.000001", "anthropic", false],
    ["2026-02-28T22:59:00Z", "5.000000", "openai", true], // 28 February in Zurich: not this month
    ...Array.from({ length: 12 }, (_, i): [string, string, string | null, boolean] => [
      `2026-03-10T08:${String(i).padStart(2, "0")}:00Z`,
      "0.010000",
      null,
      false,
    ]),
  ];
  for (const [at, amount, provider, byMember] of usage) {
    await bookUsage({
      mandateId: m.mandateId,
      userId: byMember ? m.memberId : null,
      amount,
      provider,
      idempotencyKey: randomUUID(),
      occurredAt: new Date(at),
    });
  }
});

describe("getOverview", () => {
  it("gives owners and admins the pool: balance with warning, auto-recharge, month by provider, last 10", async () => {
    const overview = await getOverview(owner, NOW);
    expect(overview.scope).toBe("pool");
    // 10 - 0.75 - 0.25 - 0.000001 - 5 - 0.12
    expect(overview.pool).toEqual({
      balance: "3.879999",
      currency: "CHF",
      warningThreshold: "9.000000",
      warningThresholdPercent: "90.00",
      budget: "10.000000",
      isWarning: true,
      enabled: true,
    });
    expect(overview.autoRecharge).toEqual({
      enabled: true,
      card: { brand: "visa", last4: "4242" },
      amount: "50.00",
      maxPerMonth: 3,
      thisMonth: 1,
      inFlight: false,
      lastFailure: null,
      failuresInRow: 0,
      failuresToSwitchOff: 3,
      switchedOffAt: null,
    });
    expect(overview.month).toEqual({
      year: 2026,
      month: 3,
      currency: "CHF",
      totalCost: "1.120001",
      transactionCount: 15,
      byProvider: [
        { provider: "anthropic", amount: "0.750001", percent: "67.0" },
        { provider: "openai", amount: "0.250000", percent: "22.3" },
        { provider: "unknown", amount: "0.120000", percent: "10.7" },
      ],
    });
    expect(overview.recent).toHaveLength(10);
    // Last booked first: the usage booked last, then the one before (the initial credit was
    // booked first, whatever its call time says).
    expect(overview.recent.map((row) => row.createdAt).slice(0, 2)).toEqual([
      "2026-03-10T08:11:00.000000Z",
      "2026-03-10T08:10:00.000000Z",
    ]);
    expect(overview.recent.map((row) => row.transactionType)).not.toContain("CREDIT");
    expect(new Set(overview.recent.map((row) => row.accountId))).toEqual(new Set([m.poolAccountId]));
  });

  it("gives a MEMBER their own audit account only, and never reads the pool", async () => {
    const overview = await getOverview(member, NOW);
    expect(overview).toMatchObject({ scope: "own", pool: null, autoRecharge: null });
    expect(overview.month).toMatchObject({
      totalCost: "0.750000",
      transactionCount: 1,
      byProvider: [{ provider: "anthropic", amount: "0.750000", percent: "100.0" }],
    });
    // Last booked first: the 5.00 was booked after the 0.75, though its call came before.
    expect(overview.recent.map((row) => [row.amount, row.createdByUserName])).toEqual([
      ["5.000000", "Test member"],
      ["0.750000", "Test member"],
    ]);
  });

  it("shows an empty month and no transactions for a member who never spent, NOT_FOUND for an unknown mandate", async () => {
    const admin = await getOverview({ mandateId: m.mandateId, userId: m.adminId, role: "MEMBER" }, NOW);
    expect(admin.month).toMatchObject({ totalCost: "0.000000", transactionCount: 0, byProvider: [] });
    expect(admin.recent).toEqual([]);
    const err = await getOverview({ ...owner, mandateId: randomUUID() }, NOW).catch((e: unknown) => e);
    expect(isDomainError(err, "NOT_FOUND")).toBe(true);
  });

  it("computes provider shares exactly, largest first", () => {
    expect(providerShares({ b: "1", a: "1", c: "2" }, "4")).toEqual([
      { provider: "c", amount: "2", percent: "50.0" },
      { provider: "a", amount: "1", percent: "25.0" },
      { provider: "b", amount: "1", percent: "25.0" },
    ]);
    expect(providerShares({}, "0.000000")).toEqual([]);
  });
});
