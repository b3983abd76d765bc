import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { onlyItem, subscriptionOf, billingTestStripe } from "./billing-test-fixtures";
import { TEST_CARDS } from "./server";

const { server, stripe, deliveredEvents, deliveredTypes, plan, subscriptionCheckout, subscribed } = billingTestStripe();

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
    expect(page).toContain('id="recurring">Then 29.00 CHF per month.');
    expect(page).toContain('id="save-note"');
    const paid = await fetch(`${server().apiUrl}/checkout/${session.id}/pay`, {
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

    const completed = await stripe().checkout.sessions.retrieve(session.id, { expand: ["subscription", "invoice"] });
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
    expect((await stripe().paymentIntents.retrieve(String(paymentIntentId))).status).toBe("succeeded");

    // The card is the subscription's default payment method, attached to the customer.
    const card = await stripe().paymentMethods.retrieve(String(subscription.default_payment_method));
    expect(card).toMatchObject({ customer: completed.customer, card: { last4: "4242" } });

    const event = (await stripe().events.list({ type: "checkout.session.completed" })).data[0];
    expect(event?.data.object).toMatchObject({ subscription: subscription.id, invoice: invoice.id });
  });

  it("a declined card leaves the session open and starts nothing", async () => {
    const price = await plan();
    const session = await subscriptionCheckout(price.id);
    expect(server().server.payCheckoutSession(session.id, { card: TEST_CARDS.declined }).outcome).toBe("declined");
    expect(await stripe().checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", subscription: null });
    expect((await stripe().subscriptions.list({ customer: String(session.customer) })).data).toEqual([]);
    expect(await deliveredTypes()).toEqual([]);
  });

  it("with a trial: trialing, a paid 0 invoice, then the first paid period at the advance", async () => {
    const price = await plan({ amount: 4900 });
    const session = await subscriptionCheckout(price.id, { trialDays: 14 });
    expect(session.amount_total).toBe(0);
    const paid = server().server.payCheckoutSession(session.id);
    if (paid.outcome !== "subscribed") throw new Error(paid.outcome);
    expect(paid.session.payment_status).toBe("no_payment_required");
    const subscription = await stripe().subscriptions.retrieve(paid.subscription.id);
    expect(subscription.status).toBe("trialing");
    expect(subscription.trial_end).toBe(onlyItem(subscription).current_period_end);
    expect(await stripe().invoices.retrieve(String(subscription.latest_invoice))).toMatchObject({
      status: "paid",
      amount_paid: 0,
    });
    await deliveredTypes();

    server().server.advanceSubscription(subscription.id, { outcome: "paid" });
    const active = await stripe().subscriptions.retrieve(subscription.id);
    expect(active.status).toBe("active");
    expect(onlyItem(active).current_period_start).toBe(subscription.trial_end);
    expect(await stripe().invoices.retrieve(String(active.latest_invoice))).toMatchObject({
      status: "paid",
      amount_paid: 4900,
      billing_reason: "subscription_cycle",
    });
  });

  it("refuses one-time and unknown prices", async () => {
    const product = await stripe().products.create({ name: "Top-up" });
    const oneTime = await stripe().prices.create({ product: product.id, currency: "chf", unit_amount: 500 });
    await expect(subscriptionCheckout(oneTime.id)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(subscriptionCheckout("price_missing")).rejects.toMatchObject({ code: "resource_missing" });
  });
});

describe("renewals", () => {
  it("paid: the next period with its subscription_cycle invoice, period rolled over first", async () => {
    const price = await plan({ amount: 2900 });
    const subscription = await subscribed(price.id);
    const first = onlyItem(subscription);

    server().server.advanceSubscription(subscription.id, { outcome: "paid" });
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
    const renewed = await stripe().subscriptions.retrieve(subscription.id);
    expect(renewed.status).toBe("active");
    expect(onlyItem(renewed).current_period_start).toBe(first.current_period_end);
    expect(onlyItem(renewed).current_period_end).toBeGreaterThan(first.current_period_end);

    const invoices = await stripe().invoices.list({ subscription: subscription.id });
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
    server().server.advanceSubscription(subscription.id, { outcome: "failed" });
    const types = await deliveredTypes();
    expect(types).toContain("invoice.payment_failed");
    expect(types.at(-1)).toBe("customer.subscription.updated");
    const pastDue = await stripe().subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(pastDue.status).toBe("past_due");
    const invoice = pastDue.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: "open", attempt_count: 1, amount_paid: 0 });
    expect(invoice.next_payment_attempt).not.toBeNull();

    server().server.advanceSubscription(subscription.id, { outcome: "paid" });
    expect(await deliveredTypes()).toEqual(
      expect.arrayContaining(["invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]),
    );
    expect((await stripe().subscriptions.retrieve(subscription.id)).status).toBe("active");
    expect(await stripe().invoices.retrieve(invoice.id)).toMatchObject({ status: "paid", attempt_count: 2 });
    expect((await stripe().invoices.list({ subscription: subscription.id })).data).toHaveLength(2);
  });

  it("the third failure in a row cancels: invoice uncollectible, customer.subscription.deleted", async () => {
    const subscription = await subscribed((await plan()).id);
    server().server.advanceSubscription(subscription.id, { outcome: "failed" });
    server().server.advanceSubscription(subscription.id, { outcome: "failed" });
    expect((await stripe().subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    await deliveredTypes();

    server().server.advanceSubscription(subscription.id, { outcome: "failed" });
    const types = await deliveredTypes();
    expect(types.slice(-3)).toEqual([
      "invoice.payment_failed",
      "invoice.marked_uncollectible",
      "customer.subscription.deleted",
    ]);
    const canceled = await stripe().subscriptions.retrieve(subscription.id, { expand: ["latest_invoice"] });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { reason: "payment_failed" } });
    expect((canceled.latest_invoice as Stripe.Invoice).status).toBe("uncollectible");
    expect(() => server().server.advanceSubscription(subscription.id)).toThrow(/has ended/);
  });

  it("with the policy set to unpaid after one attempt, over the HTTP control", async () => {
    const policy = await fetch(`${server().apiUrl}/_test/subscription-retry-policy`, {
      method: "POST",
      body: JSON.stringify({ attempts: 1, afterFinal: "unpaid" }),
    });
    expect(await policy.json()).toEqual({ attempts: 1, afterFinal: "unpaid" });
    const subscription = await subscribed((await plan()).id);
    const advanced = await fetch(`${server().apiUrl}/_test/subscriptions/${subscription.id}/advance`, {
      method: "POST",
      body: JSON.stringify({ outcome: "failed" }),
    });
    expect(advanced.status).toBe(200);
    expect(((await advanced.json()) as { status: string }).status).toBe("unpaid");
    expect(await deliveredTypes()).not.toContain("customer.subscription.deleted");
    server().server.reset();
    expect(server().server.setSubscriptionRetryPolicy({})).toEqual({ attempts: 3, afterFinal: "cancel" });
  });

  it("cancel at period end: still active, then ended at the advance with customer.subscription.deleted", async () => {
    const subscription = await subscribed((await plan()).id);
    const periodEnd = onlyItem(subscription).current_period_end;
    const updated = await stripe().subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(updated).toMatchObject({ status: "active", cancel_at_period_end: true, cancel_at: periodEnd });
    const [event, ...more] = await deliveredEvents();
    expect(more).toEqual([]);
    expect(event?.type).toBe("customer.subscription.updated");
    expect(event?.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });

    server().server.advanceSubscription(subscription.id);
    expect(await deliveredTypes()).toEqual(["customer.subscription.deleted"]);
    const ended = await stripe().subscriptions.retrieve(subscription.id);
    expect(ended).toMatchObject({ status: "canceled", ended_at: periodEnd });
    expect((await stripe().invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    const customer = String(subscription.customer);
    expect((await stripe().subscriptions.list({ customer })).data).toEqual([]);
    expect((await stripe().subscriptions.list({ customer, status: "canceled" })).data.map((s) => s.id)).toEqual([
      subscription.id,
    ]);
  });

  it("DELETE cancels at once", async () => {
    const subscription = await subscribed((await plan()).id);
    const canceled = await stripe().subscriptions.cancel(subscription.id);
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { reason: "cancellation_requested" } });
    expect(canceled.ended_at).not.toBeNull();
    expect(await deliveredTypes()).toEqual(["customer.subscription.deleted"]);
    await expect(stripe().subscriptions.cancel(subscription.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    await expect(stripe().subscriptions.update(subscription.id, { cancel_at_period_end: true })).rejects.toMatchObject({
      code: "invalid_canceled_subscription_fields",
    });
    const noted = await stripe().subscriptions.update(subscription.id, { metadata: { note: "gone" } });
    expect(noted).toMatchObject({ status: "canceled", metadata: { note: "gone" } });
  });
});
