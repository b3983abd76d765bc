import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { savePlan } from "@/lib/subscriptions/plan-catalogue";
import { getMandateSubscriptions } from "@/lib/subscriptions/subscription-state";
import { createPlatformAdmin } from "@/testing/dashboard-people";
import { signIn } from "@/testing/signed-in-user";
import { createTestMandate } from "@/testing/test-factories";
import { grantPlanAction } from "./actions";

/**
 * The "grant a plan" form's action on /admin/mandates/[mandateId]: only a platform admin grants,
 * a reason is required, and a granted plan runs at once (budget credited) or follows the running
 * period. The grant's own rules are tested in lib/subscriptions/subscriptions.test.ts.
 */
vi.mock("@/lib/auth/get-session-user", async () => ({
  getSessionUser: (await import("@/testing/signed-in-user")).signedInUser,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

let adminId: string;

beforeAll(async () => {
  adminId = await createPlatformAdmin();
});

function testPlan(over: { active?: boolean } = {}) {
  return savePlan({
    code: `grant-${randomUUID().slice(0, 8)}`,
    nameDe: "Rechnungsplan",
    nameEn: "Invoiced plan",
    monthlyPriceCHF: "99.00",
    aiBudgetCHF: "42.50",
    includedStorageMB: "1024",
    active: over.active ?? true,
  });
}

function grantForm(planId: string, reason: string): FormData {
  const data = new FormData();
  data.set("planId", planId);
  data.set("reason", reason);
  return data;
}

async function unchanged(mandateId: string) {
  expect(await getMandateSubscriptions(mandateId)).toEqual({ operative: null, waiting: null });
  expect((await getPoolAccount(mandateId)).balance).toBe("0.000000");
}

describe("grantPlanAction", () => {
  it("grants a plan at once: ACTIVE, granted, its budget credited to the pool", async () => {
    const [m, plan] = await Promise.all([createTestMandate(), testPlan()]);
    signIn(adminId);
    const answer = await grantPlanAction(m.mandateId, IDLE_FORM_STATE, grantForm(plan.id, "Contract 2026-17"));
    expect(answer).toMatchObject({ ok: true, result: { status: "ACTIVE" } });
    const { operative, waiting } = await getMandateSubscriptions(m.mandateId);
    expect(operative).toMatchObject({
      plan: { id: plan.id },
      status: "ACTIVE",
      granted: true,
      creditedThisPeriod: "42.50",
    });
    expect(waiting).toBeNull();
    expect((await getPoolAccount(m.mandateId)).balance).toBe("42.500000");
  });

  it("schedules a second grant from the end of the running period", async () => {
    const [m, first, second] = await Promise.all([createTestMandate(), testPlan(), testPlan()]);
    signIn(adminId);
    await grantPlanAction(m.mandateId, IDLE_FORM_STATE, grantForm(first.id, "first contract"));
    const answer = await grantPlanAction(m.mandateId, IDLE_FORM_STATE, grantForm(second.id, "upgrade"));
    const { operative, waiting } = await getMandateSubscriptions(m.mandateId);
    expect(answer).toMatchObject({
      ok: true,
      result: { status: "SCHEDULED", effectiveFrom: operative?.currentPeriodEnd },
    });
    expect(operative).toMatchObject({ plan: { id: first.id }, recurring: false });
    expect(waiting).toMatchObject({ plan: { id: second.id }, status: "SCHEDULED" });
    // Only the first period's budget so far.
    expect((await getPoolAccount(m.mandateId)).balance).toBe("42.500000");
  });

  it.each([
    ["the mandate's owner", "ownerId", "FORBIDDEN"],
    ["the mandate's admin", "adminId", "FORBIDDEN"],
    ["nobody signed in", null, "UNAUTHENTICATED"],
  ] as const)("refuses %s and changes nothing", async (_who, role, code) => {
    const [m, plan] = await Promise.all([createTestMandate(), testPlan()]);
    signIn(role ? m[role] : null);
    const answer = await grantPlanAction(m.mandateId, IDLE_FORM_STATE, grantForm(plan.id, "free plan, please"));
    expect(answer).toMatchObject({ ok: false, code });
    await unchanged(m.mandateId);
  });

  it.each(["", "   ", "ok"])("refuses a grant with the reason %j and changes nothing", async (reason) => {
    const [m, plan] = await Promise.all([createTestMandate(), testPlan()]);
    signIn(adminId);
    const answer = await grantPlanAction(m.mandateId, IDLE_FORM_STATE, grantForm(plan.id, reason));
    expect(answer).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      fields: { reason: { code: "reasonLength" } },
    });
    await unchanged(m.mandateId);
  });

  it("names the plan field for no plan, an unknown one and a deactivated one", async () => {
    const [m, inactive] = await Promise.all([createTestMandate(), testPlan({ active: false })]);
    signIn(adminId);
    const none = await grantPlanAction(m.mandateId, IDLE_FORM_STATE, grantForm("", "a good reason"));
    expect(none).toMatchObject({ ok: false, fields: { planId: { code: "plan" } } });
    for (const planId of [randomUUID(), inactive.id]) {
      const answer = await grantPlanAction(m.mandateId, IDLE_FORM_STATE, grantForm(planId, "a good reason"));
      expect(answer).toMatchObject({ ok: false, fields: { planId: { code: "planUnavailable" } } });
    }
    await unchanged(m.mandateId);
  });
});
