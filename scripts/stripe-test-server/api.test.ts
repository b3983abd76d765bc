import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";
import { TEST_CARDS } from "./server";

let t: TestStripe;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestStripe();
  stripe = t.stripe;
});
afterAll(async () => {
  await t.close();
});

async function newCheckout(customer: string, options: { save?: boolean; amount?: number } = {}) {
  return stripe.checkout.sessions.create({
    mode: "payment",
    customer,
    client_reference_id: "payment_1",
    metadata: { paymentId: "payment_1" },
    line_items: [
      {
        price_data: { currency: "chf", unit_amount: options.amount ?? 5000, product_data: { name: "Top-up" } },
        quantity: 1,
      },
    ],
    payment_intent_data: {
      metadata: { paymentId: "payment_1" },
      ...(options.save ? { setup_future_usage: "off_session" as const } : {}),
    },
    success_url: "http://app.test/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/cancel",
  });
}

describe("customers and idempotency", () => {
  it("replays the first answer for the same key and parameters, refuses other parameters", async () => {
    const params = { name: "Acme", email: "owner@acme.test", metadata: { mandateId: "m1" } };
    const first = await stripe.customers.create(params, { idempotencyKey: "customer-m1" });
    const replay = await stripe.customers.create(params, { idempotencyKey: "customer-m1" });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();

    const conflict = stripe.customers.create({ ...params, name: "Other" }, { idempotencyKey: "customer-m1" });
    await expect(conflict).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    const withoutKey = await stripe.customers.create(params);
    expect(withoutKey.id).not.toBe(first.id);
    expect(first).toMatchObject({ object: "customer", livemode: false, metadata: { mandateId: "m1" } });
    expect(first.id).toMatch(/^cus_/);
  });

  it("retrieves and updates metadata the way Stripe merges it", async () => {
    const customer = await stripe.customers.create({ metadata: { a: "1", b: "2" } });
    const updated = await stripe.customers.update(customer.id, { metadata: { a: "", c: "3" } });
    expect(updated.metadata).toEqual({ b: "2", c: "3" });
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
  });

  it("refuses a default payment method that is not the customer's", async () => {
    const customer = await stripe.customers.create({});
    const update = stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: "pm_missing" } });
    await expect(update).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it("answers 404 resource_missing, 401 without a test key, 404 on unknown paths", async () => {
    await expect(stripe.customers.retrieve("cus_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
      statusCode: 404,
    });
    const live = new Stripe("sk_live_nope", {
      host: "127.0.0.1",
      port: t.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    await expect(live.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const unknown = await fetch(`${t.apiUrl}/v1/nothing`, { headers: { Authorization: `Bearer ${t.secretKey}` } });
    expect(unknown.status).toBe(404);
  });
});

describe("checkout", () => {
  it("creates an open session, pays it, and shows the payment, charge and card on retrieve", async () => {
    const customer = await stripe.customers.create({ email: "owner@acme.test" });
    const session = await newCheckout(customer.id, { save: true });
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      amount_total: 5000,
      currency: "chf",
      client_reference_id: "payment_1",
      url: `${t.apiUrl}/checkout/${session.id}`,
      payment_intent: null,
    });

    const paid = t.server.payCheckoutSession(session.id);
    expect(paid.outcome).toBe("paid");
    if (paid.outcome === "declined") throw new Error("unreachable");
    expect(paid.redirectUrl).toBe(`http://app.test/success?session_id=${session.id}`);

    const plain = await stripe.checkout.sessions.retrieve(session.id);
    expect(typeof plain.payment_intent).toBe("string");
    const expanded = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ["payment_intent", "payment_intent.latest_charge"],
    });
    expect(expanded).toMatchObject({ status: "complete", payment_status: "paid" });
    const paymentIntent = expanded.payment_intent as Stripe.PaymentIntent;
    expect(paymentIntent).toMatchObject({ status: "succeeded", amount: 5000, metadata: { paymentId: "payment_1" } });
    const charge = paymentIntent.latest_charge as Stripe.Charge;
    expect(charge.id).toMatch(/^ch_/);
    expect(charge.payment_method_details?.card).toMatchObject({ brand: "visa", last4: "4242" });
    expect(charge.amount_refunded).toBe(0);
    expect((await fetch(charge.receipt_url ?? "")).status).toBe(200);

    const saved = await stripe.customers.listPaymentMethods(customer.id, { type: "card" });
    expect(saved.data.map((pm) => pm.id)).toEqual([paymentIntent.payment_method]);
    const viaPaymentMethods = await stripe.paymentMethods.list({ customer: customer.id, type: "card" });
    expect(viaPaymentMethods.data).toHaveLength(1);
    expect(() => t.server.payCheckoutSession(session.id)).toThrow(/no longer open/);
  });

  it("does not keep the card when the session does not ask for it", async () => {
    const customer = await stripe.customers.create({});
    const session = await newCheckout(customer.id);
    t.server.payCheckoutSession(session.id);
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(0);
  });

  it("serves a page whose Pay pays and redirects, a declined card shows the error, Cancel goes back", async () => {
    const customer = await stripe.customers.create({});
    const session = await newCheckout(customer.id, { save: true });
    const html = await (await fetch(session.url ?? "")).text();
    expect(html).toContain("<title>Test checkout</title>");
    expect(html).toContain("50.00 CHF");
    expect(html).toContain('id="pay"');
    expect(html).toContain('id="cancel"');
    expect(html).toContain('id="save-note"');

    const pay = (card: string, action = "pay") =>
      fetch(`${t.apiUrl}/checkout/${session.id}/${action}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ card }).toString(),
        redirect: "manual",
      });
    const declined = await pay("4000 0000 0000 0002");
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

    const cancelled = await pay("", "cancel");
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toBe("http://app.test/cancel");

    const paid = await pay("4242 4242 4242 4242");
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.test/success?session_id=${session.id}`);
    expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
  });

  it("completes a delayed payment unpaid, then settles it either way", async () => {
    const customer = await stripe.customers.create({});
    for (const outcome of ["succeeded", "failed"] as const) {
      const session = await newCheckout(customer.id);
      expect(t.server.payCheckoutSession(session.id, { card: TEST_CARDS.async }).outcome).toBe("processing");
      expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
        status: "complete",
        payment_status: "unpaid",
      });
      t.server.settleAsyncPayment(session.id, outcome);
      const settled = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
      expect(settled.payment_status).toBe(outcome === "succeeded" ? "paid" : "unpaid");
      expect((settled.payment_intent as Stripe.PaymentIntent).status).toBe(
        outcome === "succeeded" ? "succeeded" : "requires_payment_method",
      );
      expect(t.server.events(`checkout.session.async_payment_${outcome}`).map((e) => e.data.object)).toContainEqual(
        expect.objectContaining({ id: session.id }),
      );
    }
  });

  it("refuses subscription mode with an unknown price", async () => {
    const create = stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: "price_x", quantity: 1 }],
    });
    await expect(create).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});

describe("off-session payment intents", () => {
  const charge = (customer: string, paymentMethod: string) =>
    stripe.paymentIntents.create(
      {
        amount: 2000,
        currency: "chf",
        customer,
        payment_method: paymentMethod,
        off_session: true,
        confirm: true,
        metadata: { k: "v" },
      },
      { idempotencyKey: `pi-${customer}-${paymentMethod}` },
    );

  it("succeeds with pm_card_visa, throws StripeCardError with the right code for the others", async () => {
    const customer = await stripe.customers.create({});
    const ok = await charge(customer.id, "pm_card_visa");
    expect(ok).toMatchObject({ status: "succeeded", amount_received: 2000, metadata: { k: "v" } });
    expect(ok.latest_charge).toMatch(/^ch_/);

    const declined = await charge(customer.id, "pm_card_chargeDeclined").catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({ code: "card_declined", decline_code: "generic_decline" });
    const declinedIntent = (declined as Stripe.errors.StripeCardError).payment_intent;
    expect(declinedIntent?.status).toBe("requires_payment_method");

    const auth = await charge(customer.id, "pm_card_authenticationRequired").catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(auth).toMatchObject({ code: "authentication_required" });

    // The error is the stored first answer: a retry with the same key replays it.
    await expect(charge(customer.id, "pm_card_chargeDeclined")).rejects.toMatchObject({ code: "card_declined" });
    const intents = await stripe.paymentIntents.list({ customer: customer.id });
    expect(intents.data.map((pi) => pi.status).sort()).toEqual([
      "requires_payment_method",
      "requires_payment_method",
      "succeeded",
    ]);
  });

  it("charges a card saved in checkout by its number: 4242 succeeds, 3184 needs authentication", async () => {
    for (const [card, expected] of [
      [TEST_CARDS.visa, "succeeded"],
      [TEST_CARDS.authenticationRequired, "authentication_required"],
    ] as const) {
      const customer = await stripe.customers.create({});
      const session = await newCheckout(customer.id, { save: true });
      expect(t.server.payCheckoutSession(session.id, { card }).outcome).toBe("paid");
      const [saved] = (await stripe.customers.listPaymentMethods(customer.id, { type: "card" })).data;
      if (!saved) throw new Error("card not saved");
      const result = await charge(customer.id, saved.id).then(
        (pi) => pi.status,
        (e: Stripe.errors.StripeError) => e.code,
      );
      expect(result).toBe(expected);
    }
  });
});

describe("lists", () => {
  it("pages newest first with has_more, and autoPagingEach walks every page", async () => {
    const customer = await stripe.customers.create({});
    const since = Math.floor(Date.now() / 1000) - 1;
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const pi = await stripe.paymentIntents.create({
        amount: 100 + i,
        currency: "chf",
        customer: customer.id,
        payment_method: "pm_card_visa",
        confirm: true,
      });
      created.push(pi.id);
    }
    const firstPage = await stripe.paymentIntents.list({ customer: customer.id, limit: 3 });
    expect(firstPage.has_more).toBe(true);
    expect(firstPage.data.map((pi) => pi.id)).toEqual(created.slice(-3).reverse());

    const seen: string[] = [];
    await stripe.paymentIntents
      .list({ customer: customer.id, created: { gte: since }, limit: 2 })
      .autoPagingEach((pi) => {
        seen.push(pi.id);
      });
    expect(seen).toEqual([...created].reverse());
    const future = await stripe.paymentIntents.list({ customer: customer.id, created: { gte: since + 3600 } });
    expect(future.data).toEqual([]);
  });
});
