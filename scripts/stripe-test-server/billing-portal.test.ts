import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { billingTestStripe } from "./billing-test-fixtures";

const { server, stripe, deliveredTypes, plan, subscribed } = billingTestStripe();

describe("customer portal", () => {
  it("serves a page whose buttons cancel at period end and update the card, with a way back", async () => {
    const subscription = await subscribed((await plan({ amount: 2900 })).id);
    const customer = String(subscription.customer);
    const portal = await stripe().billingPortal.sessions.create(
      { customer, return_url: "http://app.test/plans" },
      { idempotencyKey: "portal-1" },
    );
    expect(portal).toMatchObject({ object: "billing_portal.session", customer, return_url: "http://app.test/plans" });
    expect(portal.url).toBe(`${server().apiUrl}/portal/${portal.id}`);
    const again = await stripe().billingPortal.sessions.create(
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
    expect((await stripe().subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(true);
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
    const renewed = await stripe().subscriptions.retrieve(subscription.id, { expand: ["default_payment_method"] });
    expect((renewed.default_payment_method as Stripe.PaymentMethod).card?.last4).toBe("4444");
    const owner = (await stripe().customers.retrieve(customer)) as Stripe.Customer;
    expect(owner.invoice_settings.default_payment_method).toBe(
      (renewed.default_payment_method as Stripe.PaymentMethod).id,
    );

    const other = await stripe().customers.create({});
    const foreign = await stripe().billingPortal.sessions.create({ customer: other.id });
    expect((await fetch(`${foreign.url}/subscriptions/${subscription.id}/cancel`, { method: "POST" })).status).toBe(
      404,
    );
  });

  it("opens on the card form with flow_data payment_method_update", async () => {
    const subscription = await subscribed((await plan()).id);
    const portal = await stripe().billingPortal.sessions.create({
      customer: String(subscription.customer),
      flow_data: { type: "payment_method_update" },
    });
    expect(portal.flow?.type).toBe("payment_method_update");
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('id="update-card"');
    expect(html).not.toContain(`id="cancel-${subscription.id}"`);
  });
});
