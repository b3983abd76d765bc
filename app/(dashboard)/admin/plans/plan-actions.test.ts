import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { listPlans, savePlan } from "@/lib/subscriptions/plan-catalogue";
import { createPlatformAdmin } from "@/testing/dashboard-people";
import { signIn } from "@/testing/signed-in-user";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { savePlanAction } from "./actions";

/**
 * The plan form's action on /admin/plans: only a platform admin saves, invalid input comes back
 * as field codes, a new plan cannot take an existing code, and a plan is deactivated, not
 * deleted. As in app/action-fuzz.test.ts only the request scope is stood in for (session,
 * revalidatePath); the database is the real one.
 */
vi.mock("@/lib/auth/get-session-user", async () => ({
  getSessionUser: (await import("@/testing/signed-in-user")).signedInUser,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

let adminId: string;
let m: TestMandate;

beforeAll(async () => {
  [adminId, m] = await Promise.all([createPlatformAdmin(), createTestMandate()]);
});

function planForm(fields: Record<string, string | boolean>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === true) data.set(name, "on");
    else if (value !== false) data.set(name, value);
  }
  return data;
}

/** A valid plan under a new code, as savePlan takes it. */
function planFields() {
  return {
    code: `t-${randomUUID().slice(0, 8)}`,
    nameDe: "Testplan",
    nameEn: "Test plan",
    monthlyPriceCHF: "49.00",
    aiBudgetCHF: "30.50",
    includedStorageMB: "2048",
    active: true,
  };
}

/** The form's fields for a valid new plan, changed by `over`. */
function validPlan(over: Record<string, string | boolean> = {}) {
  return { mode: "create", ...planFields(), ...over };
}

async function planByCode(code: string) {
  return (await listPlans()).find((plan) => plan.code === code);
}

describe("savePlanAction", () => {
  it("lets a platform admin create a plan with exactly what was typed", async () => {
    signIn(adminId);
    const input = validPlan();
    const answer = await savePlanAction(IDLE_FORM_STATE, planForm(input));
    expect(answer).toMatchObject({ ok: true, result: { code: input.code, created: true } });
    expect(await planByCode(input.code)).toMatchObject({
      name: { de: "Testplan", en: "Test plan" },
      monthlyPriceCHF: "49.00",
      aiBudgetCHF: "30.50",
      includedStorageMB: "2048.00",
      active: true,
    });
  });

  it.each([
    ["the owner of a mandate", "ownerId", "FORBIDDEN"],
    ["a member of a mandate", "memberId", "FORBIDDEN"],
    ["nobody signed in", null, "UNAUTHENTICATED"],
  ] as const)("refuses %s and creates nothing", async (_who, role, code) => {
    signIn(role ? m[role] : null);
    const input = validPlan();
    const answer = await savePlanAction(IDLE_FORM_STATE, planForm(input));
    expect(answer).toMatchObject({ ok: false, code });
    expect(await planByCode(input.code)).toBeUndefined();
  });

  it("refuses someone else's edit and leaves the plan as it was", async () => {
    const plan = await savePlan(planFields());
    signIn(m.ownerId);
    const answer = await savePlanAction(
      IDLE_FORM_STATE,
      planForm(validPlan({ mode: "edit", code: plan.code, monthlyPriceCHF: "0.00", active: false })),
    );
    expect(answer).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await planByCode(plan.code)).toEqual(plan);
  });

  it("answers invalid input field by field and saves nothing", async () => {
    signIn(adminId);
    const before = await listPlans();
    const answer = await savePlanAction(
      IDLE_FORM_STATE,
      planForm({
        mode: "create",
        code: "Not A Slug",
        nameDe: "",
        nameEn: "x".repeat(81),
        monthlyPriceCHF: "29.999",
        aiBudgetCHF: "1e3",
        includedStorageMB: "-1",
      }),
    );
    expect(answer).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      fields: {
        code: { code: "code" },
        nameDe: { code: "name" },
        nameEn: { code: "name" },
        monthlyPriceCHF: { code: "amount" },
        aiBudgetCHF: { code: "amount" },
        includedStorageMB: { code: "storage" },
      },
    });
    expect(await listPlans()).toEqual(before);
  });

  it("does not let a new plan take an existing code (the plan stays as it was)", async () => {
    signIn(adminId);
    const first = validPlan();
    await savePlanAction(IDLE_FORM_STATE, planForm(first));
    const saved = await planByCode(first.code);
    const answer = await savePlanAction(
      IDLE_FORM_STATE,
      planForm(validPlan({ code: first.code, monthlyPriceCHF: "1.00" })),
    );
    expect(answer).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fields: { code: { code: "codeTaken" } } });
    expect(await planByCode(first.code)).toEqual(saved);
  });

  it("edits a plan and deactivates it instead of deleting it", async () => {
    signIn(adminId);
    const input = validPlan();
    await savePlanAction(IDLE_FORM_STATE, planForm(input));
    const created = await planByCode(input.code);
    const answer = await savePlanAction(
      IDLE_FORM_STATE,
      planForm({ ...input, mode: "edit", aiBudgetCHF: "35", active: false }),
    );
    expect(answer).toMatchObject({ ok: true, result: { planId: created?.id, created: false } });
    expect(await planByCode(input.code)).toMatchObject({ id: created?.id, aiBudgetCHF: "35.00", active: false });
    expect((await listPlans({ activeOnly: true })).some((plan) => plan.code === input.code)).toBe(false);
  });

  it("does not create a plan through an edit of a code that does not exist", async () => {
    signIn(adminId);
    const input = validPlan({ mode: "edit" });
    const answer = await savePlanAction(IDLE_FORM_STATE, planForm(input));
    expect(answer).toMatchObject({ ok: false, fields: { code: { code: "planUnknown" } } });
    expect(await planByCode(input.code)).toBeUndefined();
  });
});
