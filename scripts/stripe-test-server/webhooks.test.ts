import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";

let t: TestStripe;
let stripe: Stripe;
let received: { payload: string; signature: string }[] = [];
/** What the endpoint answers; tests swap it to fail some deliveries. */
let answer: (payload: string) => number = () => 200;

beforeAll(async () => {
  t = await startTestStripe({
    deliver: (payload, headers) => {
      received.push({ payload, signature: headers["Stripe-Signature"] ?? "" });
      const status = answer(payload);
      if (status === 0) return Promise.reject(new Error("connection refused"));
      return Promise.resolve(status);
    },
  });
  stripe = t.stripe;
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.server.reset();
  received = [];
  answer = () => 200;
});

const types = () => received.map(({ payload }) => (JSON.parse(payload) as Stripe.Event).type);

async function openSession(): Promise<Stripe.Checkout.Session> {
  const customer = await stripe.customers.create({});
  return stripe.checkout.sessions.create({
    mode: "payment",
    customer: customer.id,
    metadata: { paymentId: "p1" },
    line_items: [{ price_data: { currency: "chf", unit_amount: 2000, product_data: { name: "Top-up" } }, quantity: 1 }],
    success_url: "http://app.test/success",
  });
}

describe("webhook deliveries", () => {
  it("signs with Stripe's scheme: constructEvent accepts the right secret and refuses another", async () => {
    const session = await openSession();
    t.server.payCheckoutSession(session.id);
    await t.server.waitForDeliveries();
    const completed = received.find(({ payload }) => payload.includes('"checkout.session.completed"'));
    if (!completed) throw new Error("checkout.session.completed not delivered");
    const event = stripe.webhooks.constructEvent(completed.payload, completed.signature, t.webhookSecret);
    expect(event).toMatchObject({ object: "event", type: "checkout.session.completed", livemode: false });
    expect(event.id).toMatch(/^evt_/);
    expect(event.data.object).toMatchObject({ id: session.id, payment_status: "paid", metadata: { paymentId: "p1" } });
    expect(() => stripe.webhooks.constructEvent(completed.payload, completed.signature, "whsec_wrong")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(types()).toEqual([
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.succeeded",
      "checkout.session.completed",
    ]);
  });

  it("twice: every event arrives two times with the same id", async () => {
    t.server.setDeliveryMode("twice");
    const customer = await stripe.customers.create({});
    await stripe.paymentIntents.create({
      amount: 100,
      currency: "chf",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await t.server.waitForDeliveries();
    const ids = received.map(({ payload }) => (JSON.parse(payload) as Stripe.Event).id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(3);
    expect(t.server.deliveries().every((d) => d.state === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("hold then release in reverse: a refund's event arrives before the checkout completion", async () => {
    t.server.setDeliveryMode("hold");
    const session = await openSession();
    const paid = t.server.payCheckoutSession(session.id);
    if (paid.outcome !== "paid") throw new Error(paid.outcome);
    t.server.refund({ paymentIntent: paid.paymentIntent.id });
    await t.server.waitForDeliveries();
    expect(received).toEqual([]);
    expect(t.server.heldEventIds()).toHaveLength(6);

    t.server.setDeliveryMode("normal");
    t.server.releaseHeld({ order: "reverse" });
    await t.server.waitForDeliveries();
    expect(types()).toEqual([
      "refund.created",
      "charge.refunded",
      "checkout.session.completed",
      "payment_intent.succeeded",
      "charge.succeeded",
      "payment_intent.created",
    ]);
  });

  it("redelivers after a 500 until a 2xx, and gives up after the last delay", async () => {
    let failuresLeft = 2;
    answer = (payload) => (payload.includes('"payment_intent.created"') && failuresLeft-- > 0 ? 500 : 200);
    const customer = await stripe.customers.create({});
    const created = await stripe.paymentIntents.create({ amount: 100, currency: "chf", customer: customer.id });
    await t.server.waitForDeliveries();
    expect(t.server.deliveries()).toEqual([
      expect.objectContaining({ type: "payment_intent.created", attempts: 3, lastStatus: 200, state: "delivered" }),
    ]);
    // Each attempt is signed afresh, and all carry the same event.
    expect(new Set(received.map(({ payload }) => payload)).size).toBe(1);
    expect(JSON.parse(received[0]?.payload ?? "{}")).toMatchObject({ data: { object: { id: created.id } } });

    answer = () => 0;
    received = [];
    await stripe.paymentIntents.create({ amount: 100, currency: "chf", customer: customer.id });
    await t.server.waitForDeliveries();
    expect(received).toHaveLength(4); // the first attempt and three redeliveries (delays [5, 10, 20])
    expect(t.server.deliveries().at(-1)).toMatchObject({
      attempts: 4,
      lastStatus: null,
      lastError: "connection refused",
      state: "failed",
    });

    answer = () => 200;
    const failedEvent = t.server.deliveries().at(-1)?.eventId ?? "";
    t.server.resend(failedEvent);
    await t.server.waitForDeliveries();
    expect(t.server.deliveries().at(-1)).toMatchObject({ eventId: failedEvent, attempts: 1, state: "delivered" });
  });
});

describe("URL endpoint and HTTP test controls", () => {
  it("POSTs signed events to a URL and exposes the controls under /_test", async () => {
    const bodies: string[] = [];
    const endpoint = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        try {
          stripe.webhooks.constructEvent(body, req.headers["stripe-signature"] ?? "", "whsec_url_test");
          bodies.push(body);
          res.writeHead(200).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    const { startStripeTestServer } = await import("./server");
    const server = await startStripeTestServer({
      webhookSecret: "whsec_url_test",
      webhook: { url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/webhook` },
    });
    try {
      const client = new Stripe("sk_test_x", { host: "127.0.0.1", port: server.port, protocol: "http" });
      const control = async (path: string, body?: unknown) => {
        const res = await fetch(`${server.url}/_test${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: { "Content-Type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const customer = await client.customers.create({});
      const session = await client.checkout.sessions.create({
        mode: "payment",
        customer: customer.id,
        line_items: [
          { price_data: { currency: "chf", unit_amount: 1000, product_data: { name: "Top-up" } }, quantity: 1 },
        ],
        success_url: "http://app.test/success",
      });
      expect((await control("/delivery-mode", { mode: "hold" })).json).toEqual({ mode: "hold" });
      const declined = await control(`/checkout/sessions/${session.id}/pay`, { card: "4000000000000002" });
      expect(declined.status).toBe(402);
      const paid = await control(`/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
      expect(paid.json.outcome).toBe("paid");
      const charge = (paid.json.paymentIntent as { latest_charge: string }).latest_charge;
      expect((await control("/refunds", { charge, amount: 300 })).json).toMatchObject({ amount: 300 });
      const dispute = await control(`/charges/${charge}/dispute`, {});
      expect((await control(`/disputes/${String(dispute.json.id)}/win`, {})).json).toMatchObject({ status: "won" });
      await control("/delivery-mode", { mode: "normal" });
      expect(((await control("/release-held", { order: "asIs" })).json.released as string[]).length).toBeGreaterThan(5);
      const waited = await control("/wait-for-deliveries", {});
      expect((waited.json.deliveries as { state: string }[]).every((d) => d.state === "delivered")).toBe(true);
      expect(bodies.length).toBe((waited.json.deliveries as unknown[]).length);
      expect((await control("/events?type=charge.refunded")).json.events).toHaveLength(1);
      expect((await control("/reset", {})).json).toEqual({ reset: true });
      expect((await control("/deliveries")).json).toEqual({ mode: "normal", held: [], deliveries: [] });
      expect((await control("/nothing", {})).status).toBe(404);
    } finally {
      await server.close();
      await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    }
  });
});
