import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { prisma } from "@/lib/db/client";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { debit } from "@/lib/ledger/post-transaction";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { sendMandateEmail } from "@/lib/notifications/mandate-email";
import { mandateEmailJob } from "@/lib/notifications/mandate-email-job";
import { fulfilCheckoutSession } from "./fulfil-checkout";
import { startTopUp } from "./start-top-up";

/**
 * Top-ups end to end against the offline Stripe (scripts/stripe-test-server) and real
 * PostgreSQL: the test server delivers its signed webhooks to the app's route handler
 * in-process, so every path a real event takes runs here; tests await the deliveries, never sleep.
 */

let stripe: TestStripe;
const webhookAnswers: number[] = [];

beforeAll(async () => {
  stripe = await startTestStripe({
    deliver: async (payload, headers) => {
      const response = await webhookRoute(
        new Request("http://app.test/api/stripe/webhook", { method: "POST", body: payload, headers }),
      );
      webhookAnswers.push(response.status);
      return response.status;
    },
  });
  process.env.STRIPE_SECRET_KEY = stripe.secretKey;
  process.env.STRIPE_API_URL = stripe.apiUrl;
  process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
});
afterAll(() => stripe.close());
beforeEach(() => stripe.server.setDeliveryMode("normal"));

const ORIGIN = "http://app.test";

async function balanceOf(m: TestMandate): Promise<string> {
  return (await getPoolAccount(m.mandateId)).balance;
}

async function paymentCredits(m: TestMandate) {
  return prisma.billingTransaction.findMany({
    where: { mandateId: m.mandateId, referenceType: "PAYMENT" },
    orderBy: { bookingSequence: "asc" },
    select: { transactionType: true, amount: true, idempotencyKey: true },
  });
}

/** The pool's PAYMENT bookings in booking order, as [type, CHF with two decimals]. */
async function paymentMovements(m: TestMandate): Promise<[string, string][]> {
  return (await paymentCredits(m)).map((t) => [t.transactionType, t.amount.toFixed(2)]);
}

/** A top-up started by the mandate's owner, with its Checkout Session's id. */
async function startedTopUp(m: TestMandate, amount: string, opts: { saveCard?: boolean; userId?: string } = {}) {
  const started = await startTopUp({
    mandateId: m.mandateId,
    userId: opts.userId ?? m.ownerId,
    amount,
    saveCard: opts.saveCard ?? false,
    origin: ORIGIN,
  });
  return { ...started, sessionId: sessionIdOf(started.checkoutUrl) };
}

function sessionIdOf(checkoutUrl: string): string {
  return new URL(checkoutUrl).pathname.split("/").pop()!;
}

/** A top-up paid on the test checkout page; resolves once every webhook has been answered. */
async function paidTopUp(m: TestMandate, amount: string, opts: { saveCard?: boolean } = {}) {
  const { sessionId, ...started } = await startedTopUp(m, amount, opts);
  const paid = stripe.server.payCheckoutSession(sessionId, { saveCard: opts.saveCard });
  if (paid.outcome !== "paid") throw new Error(`checkout not paid: ${paid.outcome}`);
  await stripe.server.waitForDeliveries();
  const payment = await prisma.payment.findUniqueOrThrow({ where: { id: started.paymentId } });
  return { ...started, sessionId, payment };
}

function signedRequest(payload: string, signature: string | null): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["stripe-signature"] = signature;
  return new Request("http://app.test/api/stripe/webhook", { method: "POST", body: payload, headers });
}

describe("Stripe top-ups", () => {
  it("credits a paid checkout once, as a PAYMENT credit keyed by our payment row", async () => {
    const m = await createTestMandate({ balance: "1" });
    const { payment } = await paidTopUp(m, "50");

    expect(payment).toMatchObject({ status: "PAID", cardLast4: "4242" });
    expect(payment.receiptUrl).toMatch(/^http/);
    expect(await balanceOf(m)).toBe("51.000000");
    expect(await paymentCredits(m)).toEqual([
      { transactionType: "CREDIT", amount: expect.anything(), idempotencyKey: `payment:${payment.id}` },
    ]);
    expect(webhookAnswers.every((status) => status === 200)).toBe(true);
  });

  it("the same event delivered twice credits once", async () => {
    const m = await createTestMandate();
    stripe.server.setDeliveryMode("twice");
    const { payment } = await paidTopUp(m, "20");

    const completions = stripe.server
      .deliveries()
      .filter((d) => d.type === "checkout.session.completed" && d.eventId.length > 0);
    expect(new Set(completions.map((d) => d.eventId)).size).toBeLessThan(completions.length);
    expect(payment.status).toBe("PAID");
    expect(await balanceOf(m)).toBe("20.000000");
    expect(await paymentCredits(m)).toHaveLength(1);
  });

  it("the webhook and the success page fulfilling at the same moment credit once", async () => {
    const m = await createTestMandate();
    stripe.server.setDeliveryMode("hold");
    const { sessionId } = await startedTopUp(m, "100");
    stripe.server.payCheckoutSession(sessionId, {});
    stripe.server.setDeliveryMode("normal");

    const [, ...pages] = await Promise.all([
      (async () => {
        stripe.server.releaseHeld({ order: "asIs" });
        await stripe.server.waitForDeliveries();
      })(),
      ...Array.from({ length: 5 }, () => fulfilCheckoutSession(sessionId)),
    ]);
    expect(pages.every((page) => page?.status === "PAID")).toBe(true);
    expect(pages.filter((page) => page?.credited)).toHaveLength(pages.some((p) => p?.credited) ? 1 : 0);
    expect(await balanceOf(m)).toBe("100.000000");
    expect(await paymentCredits(m)).toHaveLength(1);
  });

  it("two top-ups started at once create one Stripe customer for the mandate", async () => {
    const m = await createTestMandate();
    const started = await Promise.all(Array.from({ length: 4 }, () => startedTopUp(m, "20", { userId: m.adminId })));
    const settings = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    const customers = await stripe.stripe.customers.list({ limit: 100 });
    const ours = customers.data.filter((c) => c.metadata.mandateId === m.mandateId);
    expect(ours.map((c) => c.id)).toEqual([settings.stripeCustomerId]);
    for (const { sessionId } of started) {
      const session = await stripe.stripe.checkout.sessions.retrieve(sessionId);
      expect(session.customer).toBe(settings.stripeCustomerId);
    }
    expect(new Set(started.map((s) => s.paymentId)).size).toBe(4);
  });

  it("replaces a stored customer Stripe does not know (the offline server restarted) once, though two top-ups start at once", async () => {
    const m = await createTestMandate();
    const stale = "cus_forgottenAfterRestart";
    await prisma.billingSettings.update({ where: { mandateId: m.mandateId }, data: { stripeCustomerId: stale } });
    const started = await Promise.all([startedTopUp(m, "20"), startedTopUp(m, "20")]);
    const settings = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    expect(settings.stripeCustomerId).not.toBe(stale);
    const customers = await stripe.stripe.customers.list({ limit: 100 });
    const ours = customers.data.filter((c) => c.metadata.mandateId === m.mandateId);
    expect(ours.map((c) => c.id)).toEqual([settings.stripeCustomerId]);
    for (const { sessionId } of started) {
      const session = await stripe.stripe.checkout.sessions.retrieve(sessionId);
      expect(session.customer).toBe(settings.stripeCustomerId);
    }
  });

  it("keeps the card for automatic recharge as the customer's default payment method", async () => {
    const m = await createTestMandate();
    const { payment } = await paidTopUp(m, "20", { saveCard: true });
    const settings = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    const customer = (await stripe.stripe.customers.retrieve(settings.stripeCustomerId!)) as Stripe.Customer;
    const intent = await stripe.stripe.paymentIntents.retrieve(payment.stripePaymentIntentId!);
    expect(customer.invoice_settings.default_payment_method).toBe(intent.payment_method);
    expect(intent.payment_method).toBeTruthy();
  });

  it("a partial refund, then the rest, book the two differences once each", async () => {
    const m = await createTestMandate();
    const { payment } = await paidTopUp(m, "50");
    stripe.server.refund({ paymentIntent: payment.stripePaymentIntentId!, amount: 1250 });
    await stripe.server.waitForDeliveries();
    expect(await balanceOf(m)).toBe("37.500000");

    stripe.server.setDeliveryMode("twice");
    stripe.server.refund({ paymentIntent: payment.stripePaymentIntentId! });
    await stripe.server.waitForDeliveries();
    expect(await balanceOf(m)).toBe("0.000000");
    const refunds = await prisma.paymentRefund.findMany({
      where: { paymentId: payment.id },
      orderBy: { createdAt: "asc" },
    });
    expect(refunds.map((r) => r.amount.toFixed(2))).toEqual(["12.50", "37.50"]);
    expect(await paymentMovements(m)).toEqual([
      ["CREDIT", "50.00"],
      ["ADJUSTMENT", "-12.50"],
      ["ADJUSTMENT", "-37.50"],
    ]);
  });

  it("a refund that arrives before the checkout completion: the same result", async () => {
    const m = await createTestMandate();
    stripe.server.setDeliveryMode("hold");
    const { sessionId, ...started } = await startedTopUp(m, "20");
    const paid = stripe.server.payCheckoutSession(sessionId, {});
    if (paid.outcome !== "paid") throw new Error("not paid");
    stripe.server.refund({ paymentIntent: paid.paymentIntent.id, amount: 500 });
    // Newest first: the refund reaches the app before the completion that credits the payment.
    stripe.server.setDeliveryMode("normal");
    stripe.server.releaseHeld({ order: "reverse" });
    await stripe.server.waitForDeliveries();

    expect(await balanceOf(m)).toBe("15.000000");
    expect(await paymentMovements(m)).toEqual([
      ["CREDIT", "20.00"],
      ["ADJUSTMENT", "-5.00"],
    ]);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: started.paymentId } })).toMatchObject({
      status: "PAID",
    });
  });

  it("a lost dispute takes the funds back once; the pool may go below zero", async () => {
    const m = await createTestMandate();
    const { payment } = await paidTopUp(m, "20");
    await debit({ accountId: m.poolAccountId, amount: "15", idempotencyKey: randomUUID(), description: "usage" });

    const dispute = stripe.server.openDispute(payment.stripeChargeId!);
    await stripe.server.waitForDeliveries();
    expect(await balanceOf(m)).toBe("-15.000000");
    stripe.server.loseDispute(dispute.id);
    await stripe.server.waitForDeliveries();

    expect(await balanceOf(m)).toBe("-15.000000");
    const row = await prisma.paymentDispute.findUniqueOrThrow({ where: { stripeDisputeId: dispute.id } });
    expect(row).toMatchObject({ status: "lost", reinstatedTransactionId: null });
    expect(row.withdrawnTransactionId).not.toBeNull();
  });

  it("a won dispute: withdrawn, then reinstated, each once, even delivered twice", async () => {
    const m = await createTestMandate();
    const { payment } = await paidTopUp(m, "50");
    stripe.server.setDeliveryMode("twice");
    const dispute = stripe.server.openDispute(payment.stripeChargeId!);
    await stripe.server.waitForDeliveries();
    expect(await balanceOf(m)).toBe("0.000000");
    stripe.server.winDispute(dispute.id);
    await stripe.server.waitForDeliveries();

    expect(await balanceOf(m)).toBe("50.000000");
    expect(await paymentMovements(m)).toEqual([
      ["CREDIT", "50.00"],
      ["ADJUSTMENT", "-50.00"],
      ["ADJUSTMENT", "50.00"],
    ]);
    expect(await prisma.paymentDispute.findUniqueOrThrow({ where: { stripeDisputeId: dispute.id } })).toMatchObject({
      status: "won",
    });
  });

  it("queues one e-mail with each booking it tells of: the receipt, a refund, a dispute's two movements", async () => {
    const m = await createTestMandate();
    stripe.server.setDeliveryMode("twice");
    const { payment } = await paidTopUp(m, "40");
    stripe.server.refund({ paymentIntent: payment.stripePaymentIntentId!, amount: 1000 });
    await stripe.server.waitForDeliveries();
    const dispute = stripe.server.openDispute(payment.stripeChargeId!);
    await stripe.server.waitForDeliveries();
    stripe.server.winDispute(dispute.id);
    await stripe.server.waitForDeliveries();

    const refund = await prisma.paymentRefund.findFirstOrThrow({ where: { paymentId: payment.id } });
    const disputeRow = await prisma.paymentDispute.findUniqueOrThrow({ where: { stripeDisputeId: dispute.id } });
    const jobs = await prisma.$queryRaw<{ payload: Record<string, string> }[]>`
      SELECT j.payload FROM graphile_worker._private_jobs j
        JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE t.identifier = 'mandate-email'
         AND (j.payload ->> 'paymentId' = ${payment.id} OR j.payload ->> 'refundId' = ${refund.id}
              OR j.payload ->> 'disputeId' = ${disputeRow.id})
       ORDER BY j.id`;
    expect(jobs.map((j) => j.payload)).toEqual([
      { kind: "top-up-receipt", paymentId: payment.id },
      { kind: "refund-booked", refundId: refund.id },
      { kind: "dispute-funds-withdrawn", disputeId: disputeRow.id },
      { kind: "dispute-funds-reinstated", disputeId: disputeRow.id },
    ]);

    for (const { payload } of [...jobs, ...jobs]) await sendMandateEmail(mandateEmailJob.parse(payload));
    const mails = await prisma.emailOutbox.findMany({
      where: { mandateId: m.mandateId },
      orderBy: { createdAt: "asc" },
      select: { kind: true, toAddresses: true },
    });
    const owner = await prisma.user.findUniqueOrThrow({ where: { id: m.ownerId } });
    expect(mails).toEqual(
      ["top-up-receipt", "refund-booked", "dispute-funds-withdrawn", "dispute-funds-reinstated"].map((kind) => ({
        kind,
        toAddresses: [owner.email],
      })),
    );
  });

  it("a delayed payment is credited when it succeeds, never when it fails", async () => {
    const m = await createTestMandate();
    const [good, bad] = [await startedTopUp(m, "30"), await startedTopUp(m, "30")];
    for (const s of [good, bad]) stripe.server.payCheckoutSession(s.sessionId, { card: "4000000000000077" });
    await stripe.server.waitForDeliveries();
    expect(await prisma.payment.findMany({ where: { mandateId: m.mandateId }, select: { status: true } })).toEqual([
      { status: "PROCESSING" },
      { status: "PROCESSING" },
    ]);
    expect(await balanceOf(m)).toBe("0.000000");

    stripe.server.settleAsyncPayment(good.sessionId, "succeeded");
    stripe.server.settleAsyncPayment(bad.sessionId, "failed");
    await stripe.server.waitForDeliveries();
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: good.paymentId } })).toMatchObject({ status: "PAID" });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: bad.paymentId } })).toMatchObject({
      status: "FAILED",
    });
    expect(await balanceOf(m)).toBe("30.000000");
  });
});

describe("Stripe out of reach", () => {
  it("a top-up answers SERVICE_UNAVAILABLE (try again later) and credits nothing", async () => {
    const m = await createTestMandate();
    const closed = await startTestStripe();
    await closed.close();
    process.env.STRIPE_API_URL = closed.apiUrl;
    try {
      await expect(
        startTopUp({ mandateId: m.mandateId, userId: m.ownerId, amount: "20", saveCard: false, origin: ORIGIN }),
      ).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    } finally {
      process.env.STRIPE_API_URL = stripe.apiUrl;
    }
    expect(await balanceOf(m)).toBe("0.000000");
    expect(await prisma.payment.count({ where: { mandateId: m.mandateId } })).toBe(0);
  });
});

describe("the Stripe webhook route", () => {
  async function completedEventPayload(): Promise<{ m: TestMandate; payload: string }> {
    const m = await createTestMandate();
    stripe.server.setDeliveryMode("hold");
    const { sessionId } = await startedTopUp(m, "20");
    stripe.server.payCheckoutSession(sessionId, {});
    const event = stripe.server.events("checkout.session.completed").find((e) => {
      const session = e.data.object as { id?: string };
      return session.id === sessionId;
    });
    if (!event) throw new Error("no checkout.session.completed event");
    // Its events stay held, never released: this test plays Stripe itself.
    return { m, payload: JSON.stringify(event) };
  }

  it("refuses a missing, forged or stale signature with 400 INVALID_SIGNATURE and books nothing", async () => {
    const { m, payload } = await completedEventPayload();
    const secret = stripe.webhookSecret;
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
    const otherBody = Stripe.webhooks.generateTestHeaderString({ payload: payload.replace("20", "21"), secret });
    for (const signature of [null, "", "t=1,v1=deadbeef", stale, forged, otherBody]) {
      const response = await webhookRoute(signedRequest(payload, signature));
      expect(response.status, String(signature)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "INVALID_SIGNATURE" } });
    }
    expect(await balanceOf(m)).toBe("0.000000");
    expect(await paymentCredits(m)).toEqual([]);

    const good = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect((await webhookRoute(signedRequest(payload, good))).status).toBe(200);
    expect(await balanceOf(m)).toBe("20.000000");
  });

  it("answers 200 to an event type it does not handle, and books nothing", async () => {
    const payload = JSON.stringify({
      id: `evt_${randomUUID().replaceAll("-", "")}`,
      object: "event",
      type: "customer.tax_id.created",
      data: { object: { id: "txi_123", object: "tax_id" } },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret });
    const response = await webhookRoute(signedRequest(payload, signature));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "ignored" });
  });
});
