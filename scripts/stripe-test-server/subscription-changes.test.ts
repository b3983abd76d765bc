import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { onlyItem, billingTestStripe } from "./billing-test-fixtures";

const { server, stripe, deliveredTypes, plan, subscribed } = billingTestStripe();

describe("products and prices", () => {
  it("creates, retrieves and lists prices by lookup key; a taken key moves only with transfer_lookup_key", async () => {
    const product = await stripe().products.create(
      { name: "Pro", metadata: { plan: "pro" } },
      { idempotencyKey: "prod-pro" },
    );
    expect(product).toMatchObject({ object: "product", name: "Pro", active: true, metadata: { plan: "pro" } });
    const replay = await stripe().products.create(
      { name: "Pro", metadata: { plan: "pro" } },
      { idempotencyKey: "prod-pro" },
    );
    expect(replay.id).toBe(product.id);
    await expect(stripe().products.create({ name: "Other" }, { idempotencyKey: "prod-pro" })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );

    const monthly = await stripe().prices.create({
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
    await stripe().prices.create({
      product: product.id,
      currency: "chf",
      unit_amount: 29000,
      recurring: { interval: "year" },
    });
    expect((await stripe().prices.list({ lookup_keys: ["pro_monthly"] })).data.map((p) => p.id)).toEqual([monthly.id]);
    expect((await stripe().prices.list({ product: product.id })).data).toHaveLength(2);

    const clash = stripe().prices.create({
      product: product.id,
      currency: "chf",
      unit_amount: 3900,
      recurring: { interval: "month" },
      lookup_key: "pro_monthly",
    });
    await expect(clash).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const moved = await stripe().prices.create({
      product: product.id,
      currency: "chf",
      unit_amount: 3900,
      recurring: { interval: "month" },
      lookup_key: "pro_monthly",
      transfer_lookup_key: true,
    });
    expect((await stripe().prices.list({ lookup_keys: ["pro_monthly"] })).data.map((p) => p.id)).toEqual([moved.id]);
    expect((await stripe().prices.retrieve(monthly.id)).lookup_key).toBeNull();

    const archived = await stripe().prices.update(monthly.id, { active: false });
    expect(archived.active).toBe(false);
    expect((await stripe().prices.list({ active: true, product: product.id })).data.map((p) => p.id)).not.toContain(
      monthly.id,
    );
    expect((await stripe().products.update(product.id, { active: false })).active).toBe(false);
  });
});

describe("plan changes", () => {
  it("always_invoice bills the difference at once with a subscription_update invoice", async () => {
    const basic = await plan({ amount: 1000 });
    const pro = await plan({ amount: 3000 });
    const subscription = await subscribed(basic.id);
    const updated = await stripe().subscriptions.update(subscription.id, {
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
    const invoice = await stripe().invoices.retrieve(String(updated.latest_invoice));
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
    await stripe().subscriptions.update(prorated.id, { items: [{ id: onlyItem(prorated).id, price: pro.id }] });
    const plain = await subscribed(basic.id);
    await stripe().subscriptions.update(plain.id, {
      items: [{ id: onlyItem(plain).id, price: pro.id }],
      proration_behavior: "none",
    });
    expect((await stripe().invoices.list({ subscription: prorated.id })).data).toHaveLength(1);

    server().server.advanceSubscription(prorated.id);
    server().server.advanceSubscription(plain.id);
    const [withProrations] = (await stripe().invoices.list({ subscription: prorated.id })).data;
    expect(withProrations?.lines.data).toHaveLength(3);
    expect(withProrations?.amount_paid).toBeGreaterThan(3000 + 1900);
    const [withoutProrations] = (await stripe().invoices.list({ subscription: plain.id })).data;
    expect(withoutProrations).toMatchObject({ amount_paid: 3000, billing_reason: "subscription_cycle" });
  });

  it("refuses another billing interval, and another item id", async () => {
    const monthly = await plan({ amount: 1000 });
    const yearly = await plan({ amount: 10000, interval: "year" });
    const subscription = await subscribed(monthly.id);
    const itemId = onlyItem(subscription).id;
    await expect(
      stripe().subscriptions.update(subscription.id, { items: [{ id: itemId, price: yearly.id }] }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(
      stripe().subscriptions.update(subscription.id, { items: [{ id: "si_other", price: monthly.id }] }),
    ).rejects.toMatchObject({ code: "resource_missing" });
  });
});

describe("POST /v1/subscriptions", () => {
  async function customerWithCard(card: string) {
    const customer = await stripe().customers.create({});
    const paymentMethod = await stripe().paymentMethods.attach(card, { customer: customer.id });
    await stripe().customers.update(customer.id, { invoice_settings: { default_payment_method: paymentMethod.id } });
    return customer.id;
  }

  it("charges the customer's default card: active, or incomplete when declined (then expired)", async () => {
    const price = await plan();
    const ok = await stripe().subscriptions.create(
      {
        customer: await customerWithCard("pm_card_visa"),
        items: [{ price: price.id }],
        metadata: { a: "1" },
        off_session: true,
      },
      { idempotencyKey: "sub-create-1" },
    );
    expect(ok).toMatchObject({ status: "active", metadata: { a: "1" } });
    const declined = await stripe().subscriptions.create({
      customer: await customerWithCard("pm_card_chargeDeclined"),
      items: [{ price: price.id }],
    });
    expect(declined.status).toBe("incomplete");
    expect((await stripe().invoices.retrieve(String(declined.latest_invoice))).status).toBe("open");
    await deliveredTypes();
    server().server.advanceSubscription(declined.id, { outcome: "failed" });
    expect((await stripe().subscriptions.retrieve(declined.id)).status).toBe("incomplete_expired");
    // Stripe reports the expiry as an update; the invoice is voided.
    expect(
      (await deliveredTypes()).filter((type) => type.startsWith("customer.") || type.startsWith("invoice.")),
    ).toEqual(["invoice.payment_failed", "invoice.voided", "customer.subscription.updated"]);

    const trial = await stripe().subscriptions.create({
      customer: (await stripe().customers.create({})).id,
      items: [{ price: price.id }],
      trial_period_days: 7,
    });
    expect(trial.status).toBe("trialing");
    await expect(
      stripe().subscriptions.create({
        customer: (await stripe().customers.create({})).id,
        items: [{ price: price.id }],
      }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});

describe("idempotency on the new POSTs", () => {
  it("replays a subscription update and a checkout session instead of doing them twice", async () => {
    const price = await plan();
    const subscription = await subscribed(price.id);
    const update = () =>
      stripe().subscriptions.update(
        subscription.id,
        { cancel_at_period_end: true, metadata: { reason: "too expensive" } },
        { idempotencyKey: `cancel-${subscription.id}` },
      );
    const first = await update();
    const replay = await update();
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(replay.id).toBe(first.id);
    expect(await deliveredTypes()).toEqual(["customer.subscription.updated"]);

    const customer = (await stripe().customers.create({})).id;
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: "subscription",
      customer,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://app.test/ok",
    };
    const session = await stripe().checkout.sessions.create(params, { idempotencyKey: "sub-checkout-1" });
    expect((await stripe().checkout.sessions.create(params, { idempotencyKey: "sub-checkout-1" })).id).toBe(session.id);
    const price2 = await stripe().prices.create(
      { product: String(price.product), currency: "chf", unit_amount: 100, recurring: { interval: "month" } },
      { idempotencyKey: "price-1" },
    );
    const price2Again = await stripe().prices.create(
      { product: String(price.product), currency: "chf", unit_amount: 100, recurring: { interval: "month" } },
      { idempotencyKey: "price-1" },
    );
    expect(price2Again.id).toBe(price2.id);
  });
});
