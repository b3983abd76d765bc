import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import type { DashboardViewer } from "@/lib/dashboard/viewer";
import { bookUsage } from "@/lib/ledger/book-usage";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { waitForRollup } from "@/testing/wait-for-rollup";
import { getRunway, loadRunway } from "./get-runway";

/** 15 March 2026, 13:00 in Zurich: the 7-day window is 8–14 March, the 30-day one 13 February – 14 March. */
const NOW = new Date("2026-03-15T12:00:00Z");
let m: TestMandate;

async function debit(at: string, amount: string, userId: string | null = null) {
  await bookUsage({
    mandateId: m.mandateId,
    userId,
    amount,
    provider: "openai",
    model: "gpt-4o",
    idempotencyKey: randomUUID(),
    occurredAt: new Date(at),
  });
}

beforeAll(async () => {
  m = await createTestMandate({ balance: "100" });
  await prisma.billingSettings.update({
    where: { mandateId: m.mandateId },
    data: {
      warningThresholdPercent: "10",
      autoRechargeEnabled: true,
      stripePaymentMethodId: "pm_card_visa",
      cardBrand: "visa",
      cardLast4: "4242",
      rechargeAmountCHF: "5",
      rechargeMaxPerMonth: 3,
      rechargesThisMonth: 2,
      monthResetAt: NOW,
    },
  });
  // Rolled up: last month, and a week-window day (a member's call is the pool's debit too).
  await debit("2026-02-20T10:00:00Z", "16");
  await debit("2026-03-10T08:00:00Z", "4", m.memberId);
  await waitForRollup([m.mandateId]);
  // Still queued for the roll-up: counted all the same.
  await debit("2026-03-10T09:00:00Z", "3");
  await debit("2026-03-15T08:00:00Z", "3"); // today: the month so far, not the windows
});

describe("loadRunway against the database", () => {
  it("reads the pool, its settings and its debits per Zurich day, and forecasts from them", async () => {
    const runway = await loadRunway(m.mandateId, NOW);
    expect(runway).not.toBeNull();
    expect(runway!.balance).toBe("74.000000");
    expect(runway!.hasUsage).toBe(true);
    const [week, month] = runway!.burn;
    // 7 in the week: 1 a day; 74 lasts 74 days, 28 May.
    expect(week).toMatchObject({ spent: "7.000000", burnPerDay: "1.000000" });
    expect(week!.empty).toEqual({ kind: "date", date: "2026-05-28", recharges: 0 });
    // 23 in 30 days: 74 ÷ (23/30) = 96.52 days, 20 June 00:31 UTC.
    expect(month).toMatchObject({ spent: "23.000000", burnPerDay: "0.766667" });
    expect(month!.empty).toEqual({ kind: "date", date: "2026-06-20", recharges: 0 });
    // March so far 10, then 1 a day for 16 days 10 hours; February 16.
    expect(runway!.month).toEqual({
      year: 2026,
      month: 3,
      spentSoFar: "10.000000",
      projectedTotal: "26.420000",
      lastMonth: { year: 2026, month: 2, total: "16.000000" },
    });
    // Auto-recharge on, 1 of 3 left in March. The budget has not rolled into March (this test's
    // "now" is not the database's), so it opens with the balance: threshold 7.40. At 1 a day no
    // crossing comes before May: 2 recharges in May, 3 in June, 74 + 5 × 5 = 99 days, 22 June.
    expect(runway!.autoRecharge).toEqual({
      state: "on",
      amount: "5.000000",
      leftThisMonth: 1,
      maxPerMonth: 3,
      pending: null,
    });
    expect(week!.withAutoRecharge).toEqual({ kind: "date", date: "2026-06-22", recharges: 5 });
    expect(runway!.complete).toBe(true);
  });

  it("gives owners and admins the runway, a MEMBER none", async () => {
    const viewer = (userId: string, role: DashboardViewer["role"]) => ({ mandateId: m.mandateId, userId, role });
    expect(await getRunway(viewer(m.memberId, "MEMBER"), NOW)).toBeNull();
    expect((await getRunway(viewer(m.adminId, "ADMIN"), NOW))?.balance).toBe("74.000000");
    expect((await getRunway(viewer(m.ownerId, "OWNER"), NOW))?.burn[0]?.spent).toBe("7.000000");
  });

  it("a new mandate has no usage: no burn, no date", async () => {
    const fresh = await createTestMandate({ balance: "10" });
    const runway = await loadRunway(fresh.mandateId, NOW);
    expect(runway).toMatchObject({ hasUsage: false, balance: "10.000000" });
    expect(runway!.burn.map((b) => b.empty.kind)).toEqual(["no-burn", "no-burn"]);
    expect(runway!.autoRecharge.state).toBe("off");
  });

  it("counts the recharge of a crossing whose job has not run yet (the warning e-mail's moment)", async () => {
    const crossed = await createTestMandate({ balance: "100" });
    await prisma.billingSettings.update({
      where: { mandateId: crossed.mandateId },
      data: {
        warningThresholdPercent: "10",
        autoRechargeEnabled: true,
        stripePaymentMethodId: "pm_card_visa",
        rechargeAmountCHF: "5",
        rechargeMaxPerMonth: 3,
      },
    });
    // 100 to 5: below the threshold of 10; the crossing's jobs are queued, none runs here.
    await bookUsage({ mandateId: crossed.mandateId, amount: "95", provider: "openai", idempotencyKey: randomUUID() });
    const runway = await loadRunway(crossed.mandateId);
    expect(runway!.balance).toBe("5.000000");
    expect(runway!.autoRecharge).toEqual({
      state: "on",
      amount: "5.000000",
      leftThisMonth: 2,
      maxPerMonth: 3,
      pending: "5.000000",
    });
  });

  it("a mandate that does not exist has none", async () => {
    expect(await loadRunway(randomUUID(), NOW)).toBeNull();
  });
});
