import { prisma } from "@/lib/db/client";
import type { Plan, Subscription } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids/uuid";
import { toMinorUnits } from "@/lib/payments/minor-units";
import { ensureStripeCustomer } from "@/lib/payments/stripe-customer";
import { callStripe, stripeClient } from "@/lib/stripe/stripe-client";
import { changeSubscriptionStatus, OPERATIVE_STATUSES } from "./subscription-status";

/**
 * The Stripe side of subscriptions a person starts: the plan's price at Stripe, Checkout in
 * subscription mode, cancelling at the period's end, and the customer portal. What Stripe then
 * reports (paid invoices, failed renewals, the end) is booked by sync-stripe-subscription.ts.
 */

/**
 * The plan's recurring monthly price at Stripe, found by its lookup key (plan and amount) or made
 * once: the offline test server starts empty, and Stripe keeps prices forever, so a changed
 * monthly price is a new lookup key and a new price.
 */
export async function ensureStripePrice(plan: Plan): Promise<string> {
  const stripe = stripeClient();
  const amount = toMinorUnits(plan.monthlyPriceCHF.toFixed(2));
  const lookupKey = `plan:${plan.code}:chf:${amount}:month`;
  const found = await callStripe(() => stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }));
  let priceId = found.data[0]?.id;
  if (!priceId) {
    const product = await callStripe(() =>
      stripe.products.create(
        { name: plan.nameEn, metadata: { planId: plan.id, planCode: plan.code } },
        { idempotencyKey: `plan-product:${plan.id}:${lookupKey}` },
      ),
    );
    const price = await callStripe(() =>
      stripe.prices.create(
        {
          product: product.id,
          currency: "chf",
          unit_amount: amount,
          recurring: { interval: "month" },
          lookup_key: lookupKey,
          transfer_lookup_key: true,
          metadata: { planId: plan.id },
        },
        { idempotencyKey: `plan-price:${plan.id}:${lookupKey}` },
      ),
    );
    priceId = price.id;
  }
  if (plan.stripePriceId !== priceId) {
    await prisma.plan.update({ where: { id: plan.id }, data: { stripePriceId: priceId } });
  }
  return priceId;
}

export interface StartPlanCheckoutOptions {
  mandateId: string;
  planId: string;
  /** The OWNER choosing the plan. */
  userId: string;
  /** The app's public origin, for Stripe's redirects. */
  origin: string;
}

/**
 * An owner chooses a plan: our PENDING subscription first (a checkout abandoned before is
 * replaced), then a subscription-mode Checkout Session carrying its id, with an idempotency key
 * from it. The first invoice, once paid, makes it ACTIVE and credits the plan's budget. A mandate
 * that runs on a plan already changes plan instead (changePlan).
 */
export async function startPlanCheckout(opts: StartPlanCheckoutOptions): Promise<{ checkoutUrl: string }> {
  const plan = await activePlan(opts.planId);
  const running = await prisma.subscription.findFirst({
    where: { mandateId: opts.mandateId, status: { in: [...OPERATIVE_STATUSES] } },
  });
  if (running) return changePlan({ ...opts, running, plan });
  const [customer, priceId] = await Promise.all([ensureStripeCustomer(opts.mandateId), ensureStripePrice(plan)]);

  const metadataFor = (subscriptionId: string) => ({ mandateId: opts.mandateId, subscriptionId });
  const base = `${opts.origin}/mandates/${opts.mandateId}/plans`;
  // Under the mandate's settings lock from the replaced checkout's expiry to the new session's id
  // stored: a second start waits, then finds this one's session and expires it, so at most one
  // checkout of the mandate can be paid.
  const session = await prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM billing_settings WHERE mandate_id = ${opts.mandateId}::uuid FOR UPDATE`;
      const waiting = await tx.subscription.findFirst({
        where: { mandateId: opts.mandateId, status: { in: ["PENDING", "SCHEDULED"] } },
      });
      if (waiting) {
        // A checkout started before (another tab, an abandoned one) can no longer be paid.
        if (waiting.stripeCheckoutSessionId) await expireCheckout(waiting.stripeCheckoutSessionId);
        await changeSubscriptionStatus(tx, waiting.id, "EXPIRED", "replaced by a new checkout");
      }
      const subscription = await tx.subscription.create({
        data: { mandateId: opts.mandateId, planId: plan.id, createdByUserId: opts.userId },
      });
      const metadata = metadataFor(subscription.id);
      const created = await callStripe(() =>
        stripeClient().checkout.sessions.create(
          {
            mode: "subscription",
            customer,
            line_items: [{ price: priceId, quantity: 1 }],
            metadata,
            subscription_data: { metadata },
            success_url: `${base}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
            cancel_url: `${base}?checkout=cancelled`,
          },
          { idempotencyKey: `plan-checkout:${subscription.id}` },
        ),
      );
      await tx.subscription.update({ where: { id: subscription.id }, data: { stripeCheckoutSessionId: created.id } });
      return created;
    },
    // Stripe's answers arrive inside the transaction.
    { timeout: 60_000, maxWait: 30_000 },
  );
  if (!session.url) throw new Error(`checkout session ${session.id} has no url`);
  return { checkoutUrl: session.url };
}

/**
 * Cancels the running subscription at the end of its period: it stays operative until then
 * (recurring false), then EXPIRED. At Stripe through cancel_at_period_end; a granted plan just
 * stops renewing (advance-granted-periods.ts ends it).
 */
export async function cancelSubscription(opts: { mandateId: string; userId: string }): Promise<void> {
  const running = await prisma.subscription.findFirst({
    where: { mandateId: opts.mandateId, status: { in: [...OPERATIVE_STATUSES] } },
  });
  if (!running) throw new DomainError("NOT_FOUND", "no running subscription");
  if (running.stripeSubscriptionId) {
    const stripeId = running.stripeSubscriptionId;
    await callStripe(() =>
      stripeClient().subscriptions.update(
        stripeId,
        { cancel_at_period_end: true },
        { idempotencyKey: `subscription-cancel:${running.id}` },
      ),
    );
  }
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('billing.subscription_note', 'cancelled by an owner', true)`;
    await tx.subscription.update({ where: { id: running.id }, data: { recurring: false } });
  });
}

/** Stripe's customer portal for the mandate (card, invoices, cancellation); back to the plans page. */
export async function openBillingPortal(opts: { mandateId: string; origin: string }): Promise<{ url: string }> {
  const customer = await ensureStripeCustomer(opts.mandateId);
  const session = await callStripe(() =>
    stripeClient().billingPortal.sessions.create({
      customer,
      return_url: `${opts.origin}/mandates/${opts.mandateId}/plans`,
    }),
  );
  return { url: session.url };
}

/**
 * A plan change while one runs: the running subscription stops recurring, and the new one is
 * SCHEDULED from the end of its period. At Stripe the subscription's price changes without
 * proration, so its next invoice charges the new plan; that invoice, paid, starts the new one
 * (sync-stripe-subscription.ts). A granted plan is changed by the periodic job instead.
 */
async function changePlan(
  opts: StartPlanCheckoutOptions & { running: Subscription; plan: Plan },
): Promise<{ checkoutUrl: string }> {
  const { running, plan } = opts;
  if (running.planId === plan.id && running.recurring) {
    throw new DomainError("EDIT_CONFLICT", "the mandate runs on this plan already");
  }
  // A plan the platform granted (invoiced) is changed by the platform, not through Stripe.
  if (!running.stripeSubscriptionId) {
    throw new DomainError("EDIT_CONFLICT", "this plan was granted by the platform; ask the platform to change it");
  }
  {
    const stripe = stripeClient();
    const stripeId = running.stripeSubscriptionId;
    const priceId = await ensureStripePrice(plan);
    const current = await callStripe(() => stripe.subscriptions.retrieve(stripeId));
    const item = current.items.data[0];
    if (!item) throw new Error(`subscription ${stripeId} has no item`);
    await callStripe(() =>
      stripe.subscriptions.update(
        stripeId,
        { items: [{ id: item.id, price: priceId }], proration_behavior: "none", cancel_at_period_end: false },
        { idempotencyKey: `plan-change:${running.id}:${plan.id}` },
      ),
    );
  }
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM billing_settings WHERE mandate_id = ${opts.mandateId}::uuid FOR UPDATE`;
    const waiting = await tx.subscription.findFirst({
      where: { mandateId: opts.mandateId, status: { in: ["PENDING", "SCHEDULED"] } },
    });
    if (waiting) await changeSubscriptionStatus(tx, waiting.id, "EXPIRED", "replaced by another plan change");
    await tx.$executeRaw`SELECT set_config('billing.subscription_note', 'plan changed by an owner', true)`;
    await tx.subscription.update({ where: { id: running.id }, data: { recurring: false } });
    const next = await tx.subscription.create({
      data: { mandateId: opts.mandateId, planId: plan.id, createdByUserId: opts.userId },
    });
    await changeSubscriptionStatus(tx, next.id, "SCHEDULED", "plan changed by an owner", {
      effectiveFrom: running.currentPeriodEnd,
    });
  });
  return { checkoutUrl: `${opts.origin}/mandates/${opts.mandateId}/plans?change=scheduled` };
}

/** Expires an open Checkout Session; one already paid means the person subscribed meanwhile. */
async function expireCheckout(sessionId: string): Promise<void> {
  const stripe = stripeClient();
  const session = await callStripe(() => stripe.checkout.sessions.retrieve(sessionId));
  if (session.status === "open") {
    await callStripe(() => stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire:${sessionId}` }));
  } else if (session.status === "complete") {
    throw new DomainError("EDIT_CONFLICT", "a checkout of this mandate was just paid; reload the page");
  }
}

async function activePlan(planId: string): Promise<Plan> {
  const plan = isUuid(planId) ? await prisma.plan.findUnique({ where: { id: planId } }) : null;
  if (!plan || !plan.active)
    throw new DomainError("NOT_FOUND", "plan not found", [{ path: "planId", message: "unknown" }]);
  return plan;
}
