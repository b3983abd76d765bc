import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";

let t: TestStripe;
let stripe: Stripe;
let received: Stripe.Event[] = [];

beforeAll(async () => {
  t = await startTestStripe({
    deliver: (payload, headers) => {
      received.push(stripe.webhooks.constructEvent(payload, headers["Stripe-Signature"] ?? "", t.webhookSecret));
      return Promise.resolve(200);
    },
  });
  stripe = t.stripe;
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  received = [];
});

/** A paid 50.00 CHF checkout; answers its PaymentIntent and charge ids. */
async function paidCheckout(): Promise<{ paymentIntent: string; charge: string }> {
  const customer = await stripe.customers.create({});
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    customer: customer.id,
    line_items: [{ price_data: { currency: "chf", unit_amount: 5000, product_data: { name: "Top-up" } }, quantity: 1 }],
    success_url: "http://app.test/success",
  });
  t.server.payCheckoutSession(session.id);
  const paymentIntent = await stripe.paymentIntents.retrieve(
    (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string,
  );
  await t.server.waitForDeliveries();
  received = [];
  return { paymentIntent: paymentIntent.id, charge: paymentIntent.latest_charge as string };
}

const ofType = (type: string) => received.filter((event) => event.type === type);

describe("refunds", () => {
  it("books a partial then the rest: cumulative amount_refunded, one charge.refunded each", async () => {
    const { paymentIntent, charge } = await paidCheckout();
    const partial = await stripe.refunds.create(
      { payment_intent: paymentIntent, amount: 1500 },
      { idempotencyKey: "r1" },
    );
    expect(partial).toMatchObject({
      object: "refund",
      amount: 1500,
      charge,
      payment_intent: paymentIntent,
      status: "succeeded",
    });
    const rest = await stripe.refunds.create({ charge });
    expect(rest.amount).toBe(3500);

    const after = await stripe.charges.retrieve(charge);
    expect(after).toMatchObject({ amount_refunded: 5000, refunded: true });
    await expect(stripe.refunds.create({ charge, amount: 1 })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "charge_already_refunded",
    });

    await t.server.waitForDeliveries();
    const refunded = ofType("charge.refunded").map((event) => event.data.object as Stripe.Charge);
    expect(refunded.map((c) => [c.id, c.amount_refunded, c.refunded])).toEqual([
      [charge, 1500, false],
      [charge, 5000, true],
    ]);
    expect(ofType("refund.created").map((event) => (event.data.object as Stripe.Refund).id)).toEqual([
      partial.id,
      rest.id,
    ]);
    const listed = await stripe.refunds.list({ payment_intent: paymentIntent });
    expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, partial.id]);
    expect((await stripe.refunds.list({ charge })).data).toHaveLength(2);
    expect((await stripe.charges.list({ payment_intent: paymentIntent })).data.map((c) => c.id)).toEqual([charge]);
  });

  it("refuses more than is left, as Stripe does", async () => {
    const { charge } = await paidCheckout();
    await stripe.refunds.create({ charge, amount: 4000 });
    await expect(stripe.refunds.create({ charge, amount: 1001 })).rejects.toMatchObject({
      code: "amount_too_large",
      statusCode: 400,
    });
    expect((await stripe.charges.retrieve(charge)).amount_refunded).toBe(4000);
  });

  it("refunds through the test control with the same events", async () => {
    const { paymentIntent } = await paidCheckout();
    const refund = t.server.refund({ paymentIntent, amount: 500 });
    await t.server.waitForDeliveries();
    expect(ofType("charge.refunded")).toHaveLength(1);
    expect((await stripe.refunds.retrieve(refund.id)).amount).toBe(500);
  });
});

describe("disputes", () => {
  it("open then lose: created, funds_withdrawn, closed lost", async () => {
    const { charge } = await paidCheckout();
    const dispute = t.server.openDispute(charge);
    expect(dispute).toMatchObject({ status: "needs_response", amount: 5000, charge });
    t.server.loseDispute(dispute.id);
    await t.server.waitForDeliveries();
    expect(received.map((event) => [event.type, (event.data.object as Stripe.Dispute).status])).toEqual([
      ["charge.dispute.created", "needs_response"],
      ["charge.dispute.funds_withdrawn", "needs_response"],
      ["charge.dispute.closed", "lost"],
    ]);
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("lost");
    expect((await stripe.charges.retrieve(charge)).disputed).toBe(true);
    expect(() => t.server.winDispute(dispute.id)).toThrow(/already closed/);
    await expect(stripe.refunds.create({ charge })).rejects.toMatchObject({ code: "charge_disputed" });
  });

  it("open then win: created, funds_withdrawn, funds_reinstated, closed won", async () => {
    const { charge, paymentIntent } = await paidCheckout();
    const dispute = t.server.openDispute(charge);
    t.server.winDispute(dispute.id);
    await t.server.waitForDeliveries();
    expect(received.map((event) => [event.type, (event.data.object as Stripe.Dispute).status])).toEqual([
      ["charge.dispute.created", "needs_response"],
      ["charge.dispute.funds_withdrawn", "needs_response"],
      ["charge.dispute.funds_reinstated", "won"],
      ["charge.dispute.closed", "won"],
    ]);
    const listed = await stripe.disputes.list({ payment_intent: paymentIntent });
    expect(listed.data.map((d) => [d.id, d.status])).toEqual([[dispute.id, "won"]]);
    expect(() => t.server.openDispute(charge)).toThrow(/already been disputed/);
  });

  it("lists and retrieves the emitted events", async () => {
    const { charge } = await paidCheckout();
    const dispute = t.server.openDispute(charge);
    const events = await stripe.events.list({ type: "charge.dispute.*", limit: 100 });
    const mine = events.data.filter((event) => (event.data.object as Stripe.Dispute).id === dispute.id);
    expect(mine.map((event) => event.type)).toEqual(["charge.dispute.funds_withdrawn", "charge.dispute.created"]);
    const first = mine[1];
    if (!first) throw new Error("no event");
    expect((await stripe.events.retrieve(first.id)).type).toBe("charge.dispute.created");
  });
});
