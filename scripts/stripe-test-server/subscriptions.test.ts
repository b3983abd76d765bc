import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";
import { TEST_CARDS } from "./server";

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
  t.server.reset();
  received = [];
});

/** Delivered event types, after waiting for the deliveries; empties the list. */
async function deliveredTypes(): Promise<string[]> {
  await t.server.waitForDeliveries();
  const types = received.map((event) => event.type);
  received = [];
  return types;
}

async function plan(options: { amount?: number; interval?: "month" | "year"; lookupKey?: string } = {}) {
  const product = await stripe.products.create({ name: `Plan ${options.amount ?? 2900}` });
  return stripe.prices.create({
    product: product.id,
    currency: "chf",
    unit_amount: options.amount ?? 2900,
    recurring: { interval: options.interval ?? "month" },
    ...(options.lookupKey ? { lookup_key: options.lookupKey } : {}),
  });
}

async function subscriptionCheckout(price: string, options: { trialDays?: number; customer?: string } = {}) {
  const customer = options.customer ?? (await stripe.customers.create({ email: "owner@acme.test" })).id;
  return stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    line_items: [{ price, quantity: 1 }],
    metadata: { mandateId: "m1" },
    subscription_data: {
      metadata: { mandateId: "m1", planId: "pro" },
      ...(options.trialDays ? { trial_period_days: options.trialDays } : {}),
    },
    success_url: "http://app.test/plans?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/plans",
  });
}

/** A paid subscription checkout; answers the subscription as the API serves it. */
async function subscribed(price: string): Promise<Stripe.Subscription> {
  const session = await subscriptionCheckout(price);
  const paid = t.server.payCheckoutSession(session.id);
  if (paid.outcome !== "subscribed") throw new Error(`not subscribed: ${paid.outcome}`);
  await deliveredTypes();
  return stripe.subscriptions.retrieve(paid.subscription.id);
}

function onlyItem(subscription: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = subscription.items.data[0];
  if (!item) throw new Error("no item");
  return item;
}

function subscriptionOf(invoice: Stripe.Invoice): string | Stripe.Subscription | undefined {
  return invoice.parent?.subscription_details?.subscription;
}

describe("products and prices", () => {
  it("creates, retrieves and lists prices by lookup key; a taken key moves only with transfer_lookup_key", async () => {
    const product = await stripe.products.create(
      { name: "Pro", metadata: { plan: "pro" } },
      { idempotencyKey: "prod-pro" },
    );
    expect(product).toMatchObject({ object: "product", name: "Pro", active: true, metadata: { plan: "pro" } });
    const replay = await stripe.products.create(
      { name: "Pro", metadata: { plan: "pro" } },
      { idempotencyKey: "prod-pro" },
    );
    expect(replay.id).toBe(product.id);
    await expect(stripe.products.create({ name: "Other" }, { idempotencyKey: "prod-pro" })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );

    const monthly = await stripe.prices.create({
      product: product.id,
      currency: "CHF",
      unit_amount: 2900,
      recurring: { interval: "month" },
      lookup_key: "pro_monthly",
      metadata: { budget: "20.00" },
    });
    expect(monthly).toMatchObject({
      object: "price",
      type: "recurring",
      currency: "chf",
      unit_amount: 2900,
      product: product.id,
      lookup_key: "pro_monthly",
      recurring: { interval: "month", interval_count: 1 },
    });
    await stripe.prices.create({
      product: product.id,
      currency: "chf",
      unit_amount: 29000,
      recurring: { interval: "year" },
    });
    expect((await stripe.prices.list({ lookup_keys: ["pro_monthly"] })).data.map((p) => p.id)).toEqual([monthly.id]);
    expect((await stripe.prices.list({ product: product.id })).data).toHaveLength(2);

    const clash = stripe.prices.create({
      product: product.id,
      currency: "chf",
      unit_amount: 3900,
      recurring: { interval: "month" },
      lookup_key: "pro_monthly",
    });
    await expect(clash).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const moved = await stripe.prices.create({
      product: product.id,
      currency: "chf",
      unit_amount: 3900,
      recurring: { interval: "month" },
      lookup_key: "pro_monthly",
      transfer_lookup_key: true,
    });
    expect((await stripe.prices.list({ lookup_keys: ["pro_monthly"] })).data.map((p) => p.id)).toEqual([moved.id]);
    expect((await stripe.prices.retrieve(monthly.id)).lookup_key).toBeNull();

    const archived = await stripe.prices.update(monthly.id, { active: false });
    expect(archived.active).toBe(false);
    expect((await stripe.prices.list({ active: true, product: product.id })).data.map((p) => p.id)).not.toContain(
      monthly.id,
    );
    expect((await stripe.products.update(product.id, { active: false })).active).toBe(false);
  });
});

describe("checkout in subscription mode", () => {
  it("pays: the subscription is active, its first invoice paid, the events come in Stripe's order", async () => {
    const price = await plan({ amount: 2900 });
    const session = await subscriptionCheckout(price.id);
    expect(session).toMatchObject({
      mode: "subscription",
      status: "open",
      amount_total: 2900,
      subscription: null,
      invoice: null,
      payment_intent: null,
    });
    await deliveredTypes();

    const page = await (await fetch(session.url ?? "")).text();
    expect(page).toContain("29.00 CHF");
    const paid = await fetch(`${t.apiUrl}/checkout/${session.id}/pay`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ card: "4242 4242 4242 4242" }).toString(),
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.test/plans?session_id=${session.id}`);

    const types = await deliveredTypes();
    const subscriptionEvents = types.filter((type) => /^(customer\.subscription|invoice|checkout)\./.test(type));
    expect(subscriptionEvents).toEqual([
      "customer.subscription.created",
      "invoice.created",
      "invoice.finalized",
      "invoice.paid",
      "invoice.payment_succeeded",
      "checkout.session.completed",
    ]);
    expect(types.indexOf("payment_method.attached")).toBeLessThan(types.indexOf("customer.subscription.created"));
    expect(types.indexOf("payment_intent.succeeded")).toBeLessThan(types.indexOf("invoice.paid"));

    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription", "invoice"] });
    expect(completed).toMatchObject({ status: "complete", payment_status: "paid" });
    const subscription = completed.subscription as Stripe.Subscription;
    const invoice = completed.invoice as Stripe.Invoice;
    expect(subscription).toMatchObject({
      status: "active",
      customer: completed.customer,
      metadata: { mandateId: "m1", planId: "pro" },
      latest_invoice: invoice.id,
      cancel_at_period_end: false,
    });
    const item = onlyItem(subscription);
    expect(item.price.id).toBe(price.id);
    expect(item.current_period_end).toBeGreaterThan(item.current_period_start + 27 * 24 * 3600);
    expect(invoice).toMatchObject({
      status: "paid",
      billing_reason: "subscription_create",
      amount_paid: 2900,
      amount_due: 2900,
      currency: "chf",
      customer: completed.customer,
    });
    expect(subscriptionOf(invoice)).toBe(subscription.id);
    expect(invoice.parent?.subscription_details?.metadata).toEqual({ mandateId: "m1", planId: "pro" });
    expect(invoice.lines.data[0]?.pricing?.price_details?.price).toBe(price.id);
    expect(invoice.lines.data[0]?.period).toEqual({ start: item.current_period_start, end: item.current_period_end });
    const paymentIntentId = invoice.payments?.data[0]?.payment.payment_intent;
    expect((await stripe.paymentIntents.retrieve(String(paymentIntentId))).status).toBe("succeeded");

    // The card is the subscription's default payment method, attached to the customer.
    const card = await stripe.paymentMethods.retrieve(String(subscription.default_payment_method));
    expect(card).toMatchObject({ customer: completed.customer, card: { last4: "4242" } });

    const event = (await stripe.events.list({ type: "checkout.session.completed" })).data[0];
    expect(event?.data.object).toMatchObject({ subscription: subscription.id, invoice: invoice.id });
  });

  it("a declined card leaves the session open and starts nothing", async () => {
    const price = await plan();
    const session = await subscriptionCheckout(price.id);
    expect(t.server.payCheckoutSession(session.id, { card: TEST_CARDS.declined }).outcome).toBe("declined");
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", subscription: null });
    expect((await stripe.subscriptions.list({ customer: String(session.customer) })).data).toEqual([]);
    expect(await deliveredTypes()).toEqual([]);
  });

  it("with a trial: trialing, a paid 0 invoice, then the first paid period at the advance", async () => {
    const price = await plan({ amount: 4900 });
    const session = await subscriptionCheckout(price.id, { trialDays: 14 });
    expect(session.amount_total).toBe(0);
    const paid = t.server.payCheckoutSession(session.id);
    if (paid.outcome !== "subscribed") throw new Error(paid.outcome);
    expect(paid.session.payment_status).toBe("no_payment_required");
    const subscription = await stripe.subscriptions.retrieve(paid.subscription.id);
    expect(subscription.status).toBe("trialing");
    expect(subscription.trial_end).toBe(onlyItem(subscription).current_period_end);
    expect(await stripe.invoices.retrieve(String(subscription.latest_invoice))).toMatchObject({
      status: "paid",
      amount_paid: 0,
    });
    await deliveredTypes();

    t.server.advanceSubscription(subscription.id, { outcome: "paid" });
    const active = await stripe.subscriptions.retrieve(subscription.id);
    expect(active.status).toBe("active");
    expect(onlyItem(active).current_period_start).toBe(subscription.trial_end);
    expect(await stripe.invoices.retrieve(String(active.latest_invoice))).toMatchObject({
      status: "paid",
      amount_paid: 4900,
      billing_reason: "subscription_cycle",
    });
  });

  it("refuses one-time and unknown prices", async () => {
    const product = await stripe.products.create({ name: "Top-up" });
    const oneTime = await stripe.prices.create({ product: product.id, currency: "chf", unit_amount: 500 });
    await expect(subscriptionCheckout(oneTime.id)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(subscriptionCheckout("price_missing")).rejects.toMatchObject({ code: "resource_missing" });
  });
});

describe("renewals", () => {
  it("paid: the next period with its subscription_cycle invoice, period rolled over first", async () => {
    const price = await plan({ amount: 2900 });
    const subscription = await subscribed(price.id);
    const first = onlyItem(subscription);

    t.server.advanceSubscription(subscription.id, { outcome: "paid" });
    const types = (await deliveredTypes()).filter(
      (type) => !type.startsWith("payment_intent.") && !type.startsWith("charge."),
    );
    expect(types).toEqual([
      "customer.subscription.updated",
      "invoice.created",
      "invoice.finalized",
      "invoice.paid",
      "invoice.payment_succeeded",
    ]);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.status).toBe("active");
    expect(onlyItem(renewed).current_period_start).toBe(first.current_period_end);
    expect(onlyItem(renewed).current_period_end).toBeGreaterThan(first.current_period_end);

    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((invoice) => invoice.billing_reason)).toEqual([
      "subscription_cycle",
      "subscription_create",
    ]);
    const cycle = invoices.data[0];
    expect(cycle).toMatchObject({ status: "paid", amount_paid: 2900 });
    // As at Stripe: the invoice's own period is the one that ended, its line the one paid for.
    expect(cycle?.period_start).toBe(first.current_period_start);
    expect(cycle?.period_end).toBe(first.current_period_end);
    expect(cycle?.lines.data[0]?.period.start).toBe(first.current_period_end);
  });

  it("failed: past_due with an open invoice; a paid retry makes it active again", async () => {
    const subscription = await subscribed((await plan()).id);
    t.server.advanceSubscription(subscription.id, { outcome: "failed" });
    const types = await deliveredTypes();
    expect(types).toContain("invoice.payment_failed");
    expect(types.at(-1)).toBe("customer.subscription.updated");
    const pastDue = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(pastDue.status).toBe("past_due");
    const invoice = pastDue.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: "open", attempt_count: 1, amount_paid: 0 });
    expect(invoice.next_payment_attempt).not.toBeNull();

    t.server.advanceSubscription(subscription.id, { outcome: "paid" });
    expect(await deliveredTypes()).toEqual(
      expect.arrayContaining(["invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]),
    );
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: "paid", attempt_count: 2 });
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(2);
  });

  it("the third failure in a row cancels: invoice uncollectible, customer.subscription.deleted", async () => {
    const subscription = await subscribed((await plan()).id);
    t.server.advanceSubscription(subscription.id, { outcome: "failed" });
    t.server.advanceSubscription(subscription.id, { outcome: "failed" });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    await deliveredTypes();

    t.server.advanceSubscription(subscription.id, { outcome: "failed" });
    const types = await deliveredTypes();
    expect(types.slice(-3)).toEqual([
      "invoice.payment_failed",
      "invoice.marked_uncollectible",
      "customer.subscription.deleted",
    ]);
    const canceled = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { reason: "payment_failed" } });
    expect((canceled.latest_invoice as Stripe.Invoice).status).toBe("uncollectible");
    expect(() => t.server.advanceSubscription(subscription.id)).toThrow(/has ended/);
  });

  it("with the policy set to unpaid after one attempt, over the HTTP control", async () => {
    const policy = await fetch(`${t.apiUrl}/_test/subscription-retry-policy`, {
      method: "POST",
      body: JSON.stringify({ attempts: 1, afterFinal: "unpaid" }),
    });
    expect(await policy.json()).toEqual({ attempts: 1, afterFinal: "unpaid" });
    const subscription = await subscribed((await plan()).id);
    const advanced = await fetch(`${t.apiUrl}/_test/subscriptions/${subscription.id}/advance`, {
      method: "POST",
      body: JSON.stringify({ outcome: "failed" }),
    });
    expect(advanced.status).toBe(200);
    expect(((await advanced.json()) as { status: string }).status).toBe("unpaid");
    expect(await deliveredTypes()).not.toContain("customer.subscription.deleted");
    t.server.reset();
    expect(t.server.setSubscriptionRetryPolicy({})).toEqual({ attempts: 3, afterFinal: "cancel" });
  });

  it("cancel at period end: still active, then ended at the advance with customer.subscription.deleted", async () => {
    const subscription = await subscribed((await plan()).id);
    const periodEnd = onlyItem(subscription).current_period_end;
    const updated = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(updated).toMatchObject({ status: "active", cancel_at_period_end: true, cancel_at: periodEnd });
    await t.server.waitForDeliveries();
    const [event] = received;
    expect(event?.type).toBe("customer.subscription.updated");
    expect(event?.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });
    await deliveredTypes();

    t.server.advanceSubscription(subscription.id);
    expect(await deliveredTypes()).toEqual(["customer.subscription.deleted"]);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended).toMatchObject({ status: "canceled", ended_at: periodEnd });
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    const customer = String(subscription.customer);
    expect((await stripe.subscriptions.list({ customer })).data).toEqual([]);
    expect((await stripe.subscriptions.list({ customer, status: "canceled" })).data.map((s) => s.id)).toEqual([
      subscription.id,
    ]);
  });

  it("DELETE cancels at once", async () => {
    const subscription = await subscribed((await plan()).id);
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { reason: "cancellation_requested" } });
    expect(canceled.ended_at).not.toBeNull();
    expect(await deliveredTypes()).toEqual(["customer.subscription.deleted"]);
    await expect(stripe.subscriptions.cancel(subscription.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });
});

describe("plan changes", () => {
  it("always_invoice bills the difference at once with a subscription_update invoice", async () => {
    const basic = await plan({ amount: 1000 });
    const pro = await plan({ amount: 3000 });
    const subscription = await subscribed(basic.id);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: onlyItem(subscription).id, price: pro.id }],
      proration_behavior: "always_invoice",
    });
    expect(onlyItem(updated).price.id).toBe(pro.id);
    const types = (await deliveredTypes()).filter(
      (type) => type.startsWith("customer.") || type.startsWith("invoice."),
    );
    expect(types).toEqual([
      "customer.subscription.updated",
      "invoice.created",
      "invoice.finalized",
      "invoice.paid",
      "invoice.payment_succeeded",
    ]);
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice).toMatchObject({ billing_reason: "subscription_update", status: "paid" });
    // Just started: nearly the whole period is left, so the charge is close to the difference.
    expect(invoice.amount_paid).toBeGreaterThan(1900);
    expect(invoice.amount_paid).toBeLessThanOrEqual(2000);
    expect(invoice.lines.data.map((line) => line.parent?.subscription_item_details?.proration)).toEqual([true, true]);
  });

  it("create_prorations keeps the lines for the renewal invoice; none bills nothing extra", async () => {
    const basic = await plan({ amount: 1000 });
    const pro = await plan({ amount: 3000 });
    const prorated = await subscribed(basic.id);
    await stripe.subscriptions.update(prorated.id, { items: [{ id: onlyItem(prorated).id, price: pro.id }] });
    const plain = await subscribed(basic.id);
    await stripe.subscriptions.update(plain.id, {
      items: [{ id: onlyItem(plain).id, price: pro.id }],
      proration_behavior: "none",
    });
    expect((await stripe.invoices.list({ subscription: prorated.id })).data).toHaveLength(1);

    t.server.advanceSubscription(prorated.id);
    t.server.advanceSubscription(plain.id);
    const [withProrations] = (await stripe.invoices.list({ subscription: prorated.id })).data;
    expect(withProrations?.lines.data).toHaveLength(3);
    expect(withProrations?.amount_paid).toBeGreaterThan(3000 + 1900);
    const [withoutProrations] = (await stripe.invoices.list({ subscription: plain.id })).data;
    expect(withoutProrations).toMatchObject({ amount_paid: 3000, billing_reason: "subscription_cycle" });
  });

  it("refuses another billing interval, and another item id", async () => {
    const monthly = await plan({ amount: 1000 });
    const yearly = await plan({ amount: 10000, interval: "year" });
    const subscription = await subscribed(monthly.id);
    const itemId = onlyItem(subscription).id;
    await expect(
      stripe.subscriptions.update(subscription.id, { items: [{ id: itemId, price: yearly.id }] }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(
      stripe.subscriptions.update(subscription.id, { items: [{ id: "si_other", price: monthly.id }] }),
    ).rejects.toMatchObject({ code: "resource_missing" });
  });
});

describe("POST /v1/subscriptions", () => {
  async function customerWithCard(card: string) {
    const customer = await stripe.customers.create({});
    const paymentMethod = await stripe.paymentMethods.attach(card, { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: paymentMethod.id } });
    return customer.id;
  }

  it("charges the customer's default card: active, or incomplete when declined (then expired)", async () => {
    const price = await plan();
    const ok = await stripe.subscriptions.create(
      {
        customer: await customerWithCard("pm_card_visa"),
        items: [{ price: price.id }],
        metadata: { a: "1" },
        off_session: true,
      },
      { idempotencyKey: "sub-create-1" },
    );
    expect(ok).toMatchObject({ status: "active", metadata: { a: "1" } });
    const declined = await stripe.subscriptions.create({
      customer: await customerWithCard("pm_card_chargeDeclined"),
      items: [{ price: price.id }],
    });
    expect(declined.status).toBe("incomplete");
    expect((await stripe.invoices.retrieve(String(declined.latest_invoice))).status).toBe("open");
    t.server.advanceSubscription(declined.id, { outcome: "failed" });
    expect((await stripe.subscriptions.retrieve(declined.id)).status).toBe("incomplete_expired");

    const trial = await stripe.subscriptions.create({
      customer: (await stripe.customers.create({})).id,
      items: [{ price: price.id }],
      trial_period_days: 7,
    });
    expect(trial.status).toBe("trialing");
    await expect(
      stripe.subscriptions.create({ customer: (await stripe.customers.create({})).id, items: [{ price: price.id }] }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});

describe("customer portal", () => {
  it("serves a page whose buttons cancel at period end and update the card, with a way back", async () => {
    const subscription = await subscribed((await plan({ amount: 2900 })).id);
    const customer = String(subscription.customer);
    const portal = await stripe.billingPortal.sessions.create(
      { customer, return_url: "http://app.test/plans" },
      { idempotencyKey: "portal-1" },
    );
    expect(portal).toMatchObject({ object: "billing_portal.session", customer, return_url: "http://app.test/plans" });
    expect(portal.url).toBe(`${t.apiUrl}/portal/${portal.id}`);
    const again = await stripe.billingPortal.sessions.create(
      { customer, return_url: "http://app.test/plans" },
      { idempotencyKey: "portal-1" },
    );
    expect(again.id).toBe(portal.id);

    const html = await (await fetch(portal.url)).text();
    expect(html).toContain("29.00 CHF");
    expect(html).toContain(`id="cancel-${subscription.id}"`);
    expect(html).toContain('id="card"');
    expect(html).toContain('<a id="return" href="http://app.test/plans">');

    const post = (path: string, form: Record<string, string> = {}) =>
      fetch(`${portal.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
        redirect: "manual",
      });
    const cancel = await post(`/subscriptions/${subscription.id}/cancel`);
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get("location")).toBe(`/portal/${portal.id}?done=canceled`);
    expect((await stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(true);
    expect(await deliveredTypes()).toEqual(["customer.subscription.updated"]);
    expect(await (await fetch(`${portal.url}?done=canceled`)).text()).toContain(`id="renew-${subscription.id}"`);

    const declined = await post("/payment-method", { card: "4000 0000 0000 0002" });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined.");
    const updated = await post("/payment-method", { card: "5555 5555 5555 4444" });
    expect(updated.status).toBe(303);
    expect(await deliveredTypes()).toEqual([
      "payment_method.attached",
      "customer.updated",
      "customer.subscription.updated",
    ]);
    const renewed = await stripe.subscriptions.retrieve(subscription.id, { expand: ["default_payment_method"] });
    expect((renewed.default_payment_method as Stripe.PaymentMethod).card?.last4).toBe("4444");
    const owner = (await stripe.customers.retrieve(customer)) as Stripe.Customer;
    expect(owner.invoice_settings.default_payment_method).toBe(
      (renewed.default_payment_method as Stripe.PaymentMethod).id,
    );

    const other = await stripe.customers.create({});
    const foreign = await stripe.billingPortal.sessions.create({ customer: other.id });
    expect((await fetch(`${foreign.url}/subscriptions/${subscription.id}/cancel`, { method: "POST" })).status).toBe(
      404,
    );
  });

  it("opens on the card form with flow_data payment_method_update", async () => {
    const subscription = await subscribed((await plan()).id);
    const portal = await stripe.billingPortal.sessions.create({
      customer: String(subscription.customer),
      flow_data: { type: "payment_method_update" },
    });
    expect(portal.flow?.type).toBe("payment_method_update");
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('id="update-card"');
    expect(html).not.toContain(`id="cancel-${subscription.id}"`);
  });
});

describe("idempotency on the new POSTs", () => {
  it("replays a subscription update and a checkout session instead of doing them twice", async () => {
    const price = await plan();
    const subscription = await subscribed(price.id);
    const update = () =>
      stripe.subscriptions.update(
        subscription.id,
        { cancel_at_period_end: true, metadata: { reason: "too expensive" } },
        { idempotencyKey: `cancel-${subscription.id}` },
      );
    const first = await update();
    const replay = await update();
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(replay.id).toBe(first.id);
    expect(await deliveredTypes()).toEqual(["customer.subscription.updated"]);

    const customer = (await stripe.customers.create({})).id;
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: "subscription",
      customer,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://app.test/ok",
    };
    const session = await stripe.checkout.sessions.create(params, { idempotencyKey: "sub-checkout-1" });
    expect((await stripe.checkout.sessions.create(params, { idempotencyKey: "sub-checkout-1" })).id).toBe(session.id);
    const price2 = await stripe.prices.create(
      { product: String(price.product), currency: "chf", unit_amount: 100, recurring: { interval: "month" } },
      { idempotencyKey: "price-1" },
    );
    const price2Again = await stripe.prices.create(
      { product: String(price.product), currency: "chf", unit_amount: 100, recurring: { interval: "month" } },
      { idempotencyKey: "price-1" },
    );
    expect(price2Again.id).toBe(price2.id);
  });
});
