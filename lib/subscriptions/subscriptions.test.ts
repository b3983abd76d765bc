import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { prisma } from "@/lib/db/client";
import type { SubscriptionStatus } from "@/lib/db/generated/client";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { reportStorage } from "@/lib/storage/report-storage";
import { createTestMandate, createTestUser, type TestMandate } from "@/testing/test-factories";
import { advanceGrantedPeriods } from "./advance-granted-periods";
import { addOneMonth } from "./period-credit";
import { grantPlan } from "./grant-plan";
import { savePlan } from "./plan-catalogue";
import { getMandateSubscriptions } from "./subscription-state";
import { ALLOWED_TRANSITIONS, changeSubscriptionStatus } from "./subscription-status";

/**
 * Plans and subscriptions on real PostgreSQL: the state machine as the database enforces it, the
 * one-operative constraint, granted plans and their periods (credited once each), and the gate.
 */

const STATUSES = Object.keys(ALLOWED_TRANSITIONS) as SubscriptionStatus[];

async function testPlan(over: { aiBudgetCHF?: string; includedStorageMB?: string } = {}) {
  return savePlan({
    code: `test-${randomUUID().slice(0, 8)}`,
    nameDe: "Testplan",
    nameEn: "Test plan",
    monthlyPriceCHF: "29.00",
    aiBudgetCHF: over.aiBudgetCHF ?? "20.00",
    includedStorageMB: over.includedStorageMB ?? "1024",
    active: true,
  });
}

async function admin() {
  const id = await createTestUser("platform");
  await prisma.user.update({ where: { id }, data: { isPlatformAdmin: true } });
  return id;
}

/** A subscription brought to `status` along allowed transitions (PENDING first, as they start). */
async function subscriptionIn(m: TestMandate, planId: string, status: SubscriptionStatus): Promise<string> {
  const row = await prisma.subscription.create({ data: { mandateId: m.mandateId, planId } });
  const path: Record<SubscriptionStatus, SubscriptionStatus[]> = {
    PENDING: [],
    SCHEDULED: ["SCHEDULED"],
    TRIALING: ["TRIALING"],
    ACTIVE: ["ACTIVE"],
    PAST_DUE: ["ACTIVE", "PAST_DUE"],
    EXPIRED: ["EXPIRED"],
  };
  for (const step of path[status]) {
    await prisma.$transaction((tx) => changeSubscriptionStatus(tx, row.id, step, "test"));
  }
  return row.id;
}

function check(m: TestMandate, userId?: string, locale: "de" | "en" = "en") {
  return runBillingCheck({ mandateId: m.mandateId, userId, estimatedCost: "1", locale, requireSubscription: true });
}

describe("subscription states", () => {
  it("allows exactly the listed transitions, in the database itself, and records each", async () => {
    const plan = await testPlan();
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        if (to === from) continue;
        const m = await createTestMandate();
        const id = await subscriptionIn(m, plan.id, from);
        const attempt = prisma.subscription.update({ where: { id }, data: { status: to } });
        if (ALLOWED_TRANSITIONS[from].includes(to)) {
          await expect(attempt, `${from} → ${to}`).resolves.toMatchObject({ status: to });
        } else {
          await expect(attempt, `${from} → ${to}`).rejects.toThrow(/cannot go from/);
          expect((await prisma.subscription.findUniqueOrThrow({ where: { id } })).status).toBe(from);
        }
      }
    }
    // A subscription starts PENDING; the history names every step.
    const m = await createTestMandate();
    await expect(
      prisma.subscription.create({ data: { mandateId: m.mandateId, planId: plan.id, status: "ACTIVE" } }),
    ).rejects.toThrow(/starts PENDING/);
    const id = await subscriptionIn(m, plan.id, "PAST_DUE");
    const history = await prisma.subscriptionStatusChange.findMany({
      where: { subscriptionId: id },
      orderBy: { changedAt: "asc" },
    });
    expect(history.map((h) => [h.fromStatus, h.toStatus])).toEqual([
      [null, "PENDING"],
      ["PENDING", "ACTIVE"],
      ["ACTIVE", "PAST_DUE"],
    ]);
    expect(history[2]?.note).toBe("test");
  });

  it("keeps one operative subscription per mandate, also when two grants race", async () => {
    const plan = await testPlan();
    const other = await testPlan();
    const platformAdmin = await admin();
    const m = await createTestMandate();
    await subscriptionIn(m, plan.id, "ACTIVE");
    await expect(subscriptionIn(m, plan.id, "TRIALING")).rejects.toThrow();

    const racing = await createTestMandate();
    const grants = await Promise.allSettled(
      [plan.id, other.id].map((planId) =>
        grantPlan({ mandateId: racing.mandateId, planId, grantedByUserId: platformAdmin, reason: "invoiced" }),
      ),
    );
    expect(grants.every((g) => g.status === "fulfilled")).toBe(true);
    const rows = await prisma.subscription.findMany({ where: { mandateId: racing.mandateId } });
    expect(rows.filter((r) => ["ACTIVE", "TRIALING", "PAST_DUE"].includes(r.status))).toHaveLength(1);
    // The second grant, run after the first under the mandate's lock, is a plan change.
    expect(rows.filter((r) => r.status === "SCHEDULED")).toHaveLength(1);
  });
});

describe("granted plans", () => {
  it("start at once with the AI budget credited once, a storage period, and renew each period", async () => {
    const plan = await testPlan({ aiBudgetCHF: "20.00", includedStorageMB: "2048" });
    const platformAdmin = await admin();
    const m = await createTestMandate({ balance: "5" });
    const start = new Date("2026-01-31T10:00:00Z");
    const granted = await grantPlan({
      mandateId: m.mandateId,
      planId: plan.id,
      grantedByUserId: platformAdmin,
      reason: "invoiced customer",
      now: start,
    });
    expect(granted.status).toBe("ACTIVE");
    expect((await getPoolAccount(m.mandateId)).balance).toBe("25.000000");
    const settings = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    expect(settings.storagePeriodStartAt?.toISOString()).toBe(start.toISOString());
    expect(settings.storageIncludedMB?.toFixed(0)).toBe("2048");
    const state = await getMandateSubscriptions(m.mandateId);
    expect(state.operative).toMatchObject({
      status: "ACTIVE",
      granted: true,
      currentPeriodEnd: "2026-02-28T10:00:00.000Z",
      creditedThisPeriod: "20.00",
    });

    // Two periods passed while no worker ran: both credited, once, however often the job runs.
    const later = new Date("2026-03-29T00:00:00Z");
    await Promise.all([advanceGrantedPeriods(later), advanceGrantedPeriods(later)]);
    await advanceGrantedPeriods(later);
    expect((await getPoolAccount(m.mandateId)).balance).toBe("65.000000");
    const credits = await prisma.subscriptionPeriodCredit.findMany({
      where: { subscriptionId: granted.subscriptionId },
      orderBy: { periodStart: "asc" },
    });
    expect(credits.map((c) => c.periodStart.toISOString())).toEqual([
      "2026-01-31T10:00:00.000Z",
      "2026-02-28T10:00:00.000Z",
      "2026-03-28T10:00:00.000Z",
    ]);
    const txs = await prisma.billingTransaction.findMany({
      where: { accountId: m.poolAccountId, referenceType: "SUBSCRIPTION" },
    });
    expect(txs.map((t) => t.amount.toFixed(2))).toEqual(["20.00", "20.00", "20.00"]);
  });

  it("a plan change waits for the period's end; a cancelled plan then expires and the new one takes over", async () => {
    const small = await testPlan({ aiBudgetCHF: "10.00" });
    const large = await testPlan({ aiBudgetCHF: "50.00" });
    const platformAdmin = await admin();
    const m = await createTestMandate();
    const start = new Date("2026-05-01T00:00:00Z");
    const first = await grantPlan({
      mandateId: m.mandateId,
      planId: small.id,
      grantedByUserId: platformAdmin,
      reason: "pilot",
      now: start,
    });
    const change = await grantPlan({
      mandateId: m.mandateId,
      planId: large.id,
      grantedByUserId: platformAdmin,
      reason: "upgrade",
      now: new Date("2026-05-10T00:00:00Z"),
    });
    expect(change).toMatchObject({ status: "SCHEDULED", effectiveFrom: addOneMonth(start) });
    expect(await getMandateSubscriptions(m.mandateId)).toMatchObject({
      operative: { id: first.subscriptionId, recurring: false, status: "ACTIVE" },
      waiting: { id: change.subscriptionId, status: "SCHEDULED" },
    });
    // Still within the period: nothing moves.
    await advanceGrantedPeriods(new Date("2026-05-31T23:59:59Z"));
    expect((await getPoolAccount(m.mandateId)).balance).toBe("10.000000");

    await advanceGrantedPeriods(new Date("2026-06-01T00:00:01Z"));
    const rows = await prisma.subscription.findMany({ where: { mandateId: m.mandateId } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [first.subscriptionId]: "EXPIRED",
      [change.subscriptionId]: "ACTIVE",
    });
    expect((await getPoolAccount(m.mandateId)).balance).toBe("60.000000");
  });

  it("bills storage above the plan's volume per subscription period, starting afresh each period", async () => {
    const plan = await testPlan({ aiBudgetCHF: "0", includedStorageMB: "1024" });
    const platformAdmin = await admin();
    const m = await createTestMandate({ balance: "10" });
    const start = new Date(Date.now() - 40 * 24 * 3600_000);
    await grantPlan({
      mandateId: m.mandateId,
      planId: plan.id,
      grantedByUserId: platformAdmin,
      reason: "x",
      now: start,
    });
    const first = await reportStorage({
      mandateId: m.mandateId,
      volumeMB: "1536",
      reportedAt: new Date(start.getTime() + 3600_000),
    });
    expect(first).toMatchObject({ periodStart: start, includedMB: "1024.000000", billedUpToMB: "512.000000" });
    expect(first.debitedAmount).not.toBe("0.000000");

    // The next period begins (the job advances it): the same volume is billed again, once.
    await advanceGrantedPeriods(new Date());
    const period = (await getMandateSubscriptions(m.mandateId)).operative!;
    expect(period.currentPeriodStart).toBe(addOneMonth(start).toISOString());
    const second = await reportStorage({ mandateId: m.mandateId, volumeMB: "1536" });
    expect(second).toMatchObject({ periodStart: addOneMonth(start), billedUpToMB: "512.000000" });
    expect(second.debitedAmount).toBe(first.debitedAmount);
    expect((await reportStorage({ mandateId: m.mandateId, volumeMB: "1536" })).debitedAmount).toBe("0.000000");
  });

  it("refuses a grant without a reason or for an unknown plan, and changes nothing", async () => {
    const platformAdmin = await admin();
    const m = await createTestMandate();
    const plan = await testPlan();
    await expect(
      grantPlan({ mandateId: m.mandateId, planId: plan.id, grantedByUserId: platformAdmin, reason: "  " }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(
      grantPlan({ mandateId: m.mandateId, planId: randomUUID(), grantedByUserId: platformAdmin, reason: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.subscription.count({ where: { mandateId: m.mandateId } })).toBe(0);
  });
});

describe("the subscription gate", () => {
  it("refuses without an operative subscription, saying what to do in the caller's language", async () => {
    const m = await createTestMandate({ balance: "100" });
    const owner = await check(m, m.ownerId, "de");
    expect(owner).toMatchObject({
      allowed: false,
      reason: "NO_ACTIVE_SUBSCRIPTION",
      upgradeRequired: true,
      subscriptionUiPath: `/mandates/${m.mandateId}/plans`,
      userAction: "CHOOSE_PLAN",
    });
    expect(owner.message).toMatch(/kein aktives Abonnement/);
    const member = await check(m, m.memberId, "en");
    expect(member).toMatchObject({ userAction: "CONTACT_MANDATE_OWNER" });
    expect(member.message).toMatch(/no active subscription/);
    // No hold for a gated mandate.
    const reserving = await runBillingCheck({
      mandateId: m.mandateId,
      estimatedCost: "1",
      reserve: true,
      requireSubscription: true,
    });
    expect(reserving.reservationId).toBeUndefined();
    expect(await prisma.billingReservation.count({ where: { mandateId: m.mandateId } })).toBe(0);
  });

  it("PENDING and SCHEDULED gate, TRIALING, ACTIVE and PAST_DUE pass, EXPIRED gates again", async () => {
    const plan = await testPlan();
    const verdicts: Record<string, boolean> = {};
    for (const status of STATUSES) {
      const m = await createTestMandate({ balance: "100" });
      await subscriptionIn(m, plan.id, status);
      verdicts[status] = (await check(m)).allowed;
    }
    expect(verdicts).toEqual({
      PENDING: false,
      SCHEDULED: false,
      TRIALING: true,
      ACTIVE: true,
      PAST_DUE: true,
      EXPIRED: false,
    });
  });
});
