import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { grantPlan } from "@/lib/subscriptions/grant-plan";
import { savePlan, type PlanView } from "@/lib/subscriptions/plan-catalogue";
import { getMandateSubscriptions, type MandateSubscriptions } from "@/lib/subscriptions/subscription-state";
import { signIn } from "@/testing/signed-in-user";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";
import { createTestMandate, createTestUser, type TestMandate } from "@/testing/test-factories";
import { cancelPlanAction, choosePlanAction, openPortalAction } from "./actions";

// Outside a Next request there is no session cookie: the session lookup reads whom the test
// signed in (testing/signed-in-user.ts); revalidatePath (a cache hint) does nothing.
vi.mock("@/lib/auth/get-session-user", async () => ({
  getSessionUser: (await import("@/testing/signed-in-user")).signedInUser,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

/**
 * The plans page's actions against real PostgreSQL and the offline Stripe: only the OWNER
 * subscribes, changes, cancels or opens the portal; an ADMIN, a MEMBER, another mandate's owner
 * and nobody are refused and change nothing; a plan not offered is the plan field's error.
 */
let stripe: TestStripe;
let plan: PlanView;
let other: PlanView;
let retired: PlanView;
let platformAdminId: string;

beforeAll(async () => {
  stripe = await startTestStripe();
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_API_URL = stripe.apiUrl;
  process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
  process.env.NEXTAUTH_URL = "http://app.test/";
  [plan, other, retired, platformAdminId] = await Promise.all([
    testPlan(true),
    testPlan(true),
    testPlan(false),
    createTestUser("platform"),
  ]);
});
afterAll(() => stripe.close());

function testPlan(active: boolean): Promise<PlanView> {
  return savePlan({
    code: `test-${randomUUID().slice(0, 8)}`,
    nameDe: "Testplan",
    nameEn: "Test plan",
    monthlyPriceCHF: "29.00",
    aiBudgetCHF: "20.00",
    includedStorageMB: "1024",
    active,
  });
}

function planForm(planId: string): FormData {
  const form = new FormData();
  form.set("planId", planId);
  return form;
}

/** What the plans page shows of the mandate's subscriptions, reduced to what an action could change. */
async function stateOf(m: TestMandate) {
  const view = (s: MandateSubscriptions["operative"]) =>
    s && { id: s.id, planId: s.plan.id, status: s.status, recurring: s.recurring };
  const { operative, waiting } = await getMandateSubscriptions(m.mandateId);
  return { operative: view(operative), waiting: view(waiting) };
}

/** Where redirect() sends the browser: Next throws it as an error whose digest names the URL. */
async function redirectOf(run: Promise<unknown>): Promise<string> {
  const err: unknown = await run.then(
    () => null,
    (e: unknown) => e,
  );
  const digest = err && typeof err === "object" && "digest" in err ? String(err.digest) : "";
  expect(digest).toMatch(/^NEXT_REDIRECT;/);
  return digest.split(";")[2] ?? "";
}

describe("choosePlanAction", () => {
  it("sends an owner to Stripe's subscription checkout for the plan, with a PENDING subscription waiting", async () => {
    const m = await createTestMandate();
    signIn(m.ownerId);
    const url = await redirectOf(choosePlanAction(m.mandateId, IDLE_FORM_STATE, planForm(plan.id)));
    expect(url).toMatch(new RegExp(`^${stripe.apiUrl}/checkout/cs_`));
    const session = await stripe.stripe.checkout.sessions.retrieve(url.split("/").pop()!);
    expect(session.mode).toBe("subscription");
    expect(session.success_url).toBe(
      `http://app.test/mandates/${m.mandateId}/plans?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    );
    expect(session.cancel_url).toBe(`http://app.test/mandates/${m.mandateId}/plans?checkout=cancelled`);
    expect(await stateOf(m)).toMatchObject({ operative: null, waiting: { planId: plan.id, status: "PENDING" } });
  });

  it("refuses an ADMIN and a MEMBER (FORBIDDEN), another mandate's owner (NOT_FOUND) and nobody, writing nothing", async () => {
    const [m, stranger] = await Promise.all([createTestMandate(), createTestMandate()]);
    const refusals: [string | null, string][] = [
      [m.adminId, "FORBIDDEN"],
      [m.memberId, "FORBIDDEN"],
      [stranger.ownerId, "NOT_FOUND"],
      [null, "UNAUTHENTICATED"],
    ];
    for (const [userId, code] of refusals) {
      signIn(userId);
      expect(await choosePlanAction(m.mandateId, IDLE_FORM_STATE, planForm(plan.id)), code).toMatchObject({
        ok: false,
        code,
      });
    }
    expect(await stateOf(m)).toEqual({ operative: null, waiting: null });
  });

  it("answers a plan that is unknown, retired or no id at all as the plan field's error, writing nothing", async () => {
    const m = await createTestMandate();
    signIn(m.ownerId);
    for (const planId of [randomUUID(), retired.id, "not-a-plan", ""]) {
      expect(await choosePlanAction(m.mandateId, IDLE_FORM_STATE, planForm(planId)), planId).toMatchObject({
        ok: false,
        code: "VALIDATION_FAILED",
        fields: { planId: { code: "plan" } },
      });
    }
    expect(await stateOf(m)).toEqual({ operative: null, waiting: null });
  });

  it("refuses a change away from a plan the platform granted (EDIT_CONFLICT), writing nothing", async () => {
    const m = await createTestMandate();
    await grantPlan({ mandateId: m.mandateId, planId: plan.id, grantedByUserId: platformAdminId, reason: "invoiced" });
    const before = await stateOf(m);
    signIn(m.ownerId);
    expect(await choosePlanAction(m.mandateId, IDLE_FORM_STATE, planForm(other.id))).toMatchObject({
      ok: false,
      code: "EDIT_CONFLICT",
    });
    expect(await stateOf(m)).toEqual(before);
  });
});

describe("cancelPlanAction and openPortalAction", () => {
  it("let the owner only: others are refused and the plan keeps renewing; the owner's cancel ends it at the period's end", async () => {
    const [m, stranger] = await Promise.all([createTestMandate(), createTestMandate()]);
    await grantPlan({ mandateId: m.mandateId, planId: plan.id, grantedByUserId: platformAdminId, reason: "invoiced" });
    const refusals: [string | null, string][] = [
      [m.adminId, "FORBIDDEN"],
      [m.memberId, "FORBIDDEN"],
      [stranger.ownerId, "NOT_FOUND"],
      [null, "UNAUTHENTICATED"],
    ];
    for (const [userId, code] of refusals) {
      signIn(userId);
      expect(await cancelPlanAction(m.mandateId), code).toMatchObject({ ok: false, code });
      expect(await openPortalAction(m.mandateId, IDLE_FORM_STATE, new FormData()), code).toMatchObject({
        ok: false,
        code,
      });
    }
    expect(await stateOf(m)).toMatchObject({ operative: { status: "ACTIVE", recurring: true }, waiting: null });

    signIn(m.ownerId);
    expect(await cancelPlanAction(m.mandateId)).toMatchObject({ ok: true });
    expect(await stateOf(m)).toMatchObject({ operative: { status: "ACTIVE", recurring: false }, waiting: null });
    const portal = await redirectOf(openPortalAction(m.mandateId, IDLE_FORM_STATE, new FormData()));
    expect(portal).toMatch(new RegExp(`^${stripe.apiUrl}/portal/`));
  });

  it("answers NOT_FOUND to an owner's cancel without a running plan", async () => {
    const m = await createTestMandate();
    signIn(m.ownerId);
    expect(await cancelPlanAction(m.mandateId)).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});
