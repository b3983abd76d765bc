import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { getPayment, listPayments } from "@/lib/payments/list-payments";
import { signIn } from "@/testing/signed-in-user";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { startTopUpAction } from "./actions";

// Outside a Next request there is no session cookie: the session lookup reads whom the test
// signed in (testing/signed-in-user.ts).
vi.mock("@/lib/auth/get-session-user", async () => ({
  getSessionUser: (await import("@/testing/signed-in-user")).signedInUser,
}));

/**
 * The top-up action against real PostgreSQL and the offline Stripe: parse, then authorize, then
 * one payment row and one Checkout Session, then the browser is sent to Stripe. A refused form
 * writes no payment.
 */
let stripe: TestStripe;
let a: TestMandate;
let b: TestMandate;

beforeAll(async () => {
  stripe = await startTestStripe();
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_API_URL = stripe.apiUrl;
  process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
  process.env.NEXTAUTH_URL = "http://app.test/";
  [a, b] = await Promise.all([createTestMandate(), createTestMandate()]);
});
afterAll(() => stripe.close());

function topUpForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

const paymentsOf = async (m: TestMandate) => (await listPayments(m.mandateId)).length;

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

describe("startTopUpAction", () => {
  it("sends an admin to Stripe's checkout for a PENDING payment of the amount, returning to NEXTAUTH_URL", async () => {
    signIn(a.adminId);
    const url = await redirectOf(
      startTopUpAction(a.mandateId, IDLE_FORM_STATE, topUpForm({ amount: " 50 ", saveCard: "on" })),
    );
    expect(url).toMatch(new RegExp(`^${stripe.apiUrl}/checkout/cs_`));
    const session = await stripe.stripe.checkout.sessions.retrieve(url.split("/").pop()!);
    expect(session.amount_total).toBe(5000);
    expect(session.success_url).toBe(
      `http://app.test/mandates/${a.mandateId}/top-up/success?session_id={CHECKOUT_SESSION_ID}`,
    );
    const payment = await getPayment(a.mandateId, session.client_reference_id!);
    expect(payment).toMatchObject({ status: "PENDING", amount: "50.00", currency: "CHF" });
  });

  it("refuses amounts outside the bounds or finer than a Rappen, with the field's code, and writes nothing", async () => {
    signIn(b.ownerId);
    for (const amount of ["9.99", "5000.01", "12.345", "", "1e3", "-20"]) {
      const state = await startTopUpAction(b.mandateId, IDLE_FORM_STATE, topUpForm({ amount }));
      expect(state, amount).toMatchObject({
        ok: false,
        code: "VALIDATION_FAILED",
        fields: { amount: { code: "amount" } },
      });
    }
    expect(await paymentsOf(b)).toBe(0);
  });

  it("refuses a MEMBER (FORBIDDEN) and another mandate's owner (NOT_FOUND) and writes nothing", async () => {
    signIn(b.memberId);
    expect(await startTopUpAction(b.mandateId, IDLE_FORM_STATE, topUpForm({ amount: "50" }))).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    signIn(a.ownerId);
    expect(await startTopUpAction(b.mandateId, IDLE_FORM_STATE, topUpForm({ amount: "50" }))).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    signIn(null);
    expect(await startTopUpAction(b.mandateId, IDLE_FORM_STATE, topUpForm({ amount: "50" }))).toMatchObject({
      ok: false,
      code: "UNAUTHENTICATED",
    });
    expect(await paymentsOf(b)).toBe(0);
  });
});
