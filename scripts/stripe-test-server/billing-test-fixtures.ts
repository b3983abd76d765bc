import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startTestStripe, type TestStripe } from "@/testing/stripe-test-server";

/**
 * Shared set-up of the billing tests (subscriptions, plan changes, portal): one test server per
 * file, reset before each test, with every delivered webhook verified by constructEvent.
 */
export function billingTestStripe() {
  let t: TestStripe | undefined;
  let received: Stripe.Event[] = [];
  beforeAll(async () => {
    t = await startTestStripe({
      deliver: (payload, headers) => {
        received.push(
          server().stripe.webhooks.constructEvent(payload, headers["Stripe-Signature"] ?? "", server().webhookSecret),
        );
        return Promise.resolve(200);
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    server().server.reset();
    received = [];
  });
  const server = (): TestStripe => {
    if (!t) throw new Error("the test server starts in beforeAll");
    return t;
  };
  const stripe = () => server().stripe;

  /** Delivered events, after waiting for the deliveries; empties the list. */
  async function deliveredEvents(): Promise<Stripe.Event[]> {
    await server().server.waitForDeliveries();
    const events = received;
    received = [];
    return events;
  }

  async function deliveredTypes(): Promise<string[]> {
    return (await deliveredEvents()).map((event) => event.type);
  }

  async function plan(options: { amount?: number; interval?: "month" | "year"; lookupKey?: string } = {}) {
    const product = await stripe().products.create({ name: `Plan ${options.amount ?? 2900}` });
    return stripe().prices.create({
      product: product.id,
      currency: "chf",
      unit_amount: options.amount ?? 2900,
      recurring: { interval: options.interval ?? "month" },
      ...(options.lookupKey ? { lookup_key: options.lookupKey } : {}),
    });
  }

  async function subscriptionCheckout(price: string, options: { trialDays?: number; customer?: string } = {}) {
    const customer = options.customer ?? (await stripe().customers.create({ email: "owner@acme.test" })).id;
    return stripe().checkout.sessions.create({
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

  /** A paid subscription checkout, its events already delivered; answers the subscription as the API serves it. */
  async function subscribed(price: string): Promise<Stripe.Subscription> {
    const session = await subscriptionCheckout(price);
    const paid = server().server.payCheckoutSession(session.id);
    if (paid.outcome !== "subscribed") throw new Error(`not subscribed: ${paid.outcome}`);
    await deliveredEvents();
    return stripe().subscriptions.retrieve(paid.subscription.id);
  }

  return { server, stripe, deliveredEvents, deliveredTypes, plan, subscriptionCheckout, subscribed };
}

export function onlyItem(subscription: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = subscription.items.data[0];
  if (!item) throw new Error("no item");
  return item;
}

export function subscriptionOf(invoice: Stripe.Invoice): string | Stripe.Subscription | undefined {
  return invoice.parent?.subscription_details?.subscription;
}
