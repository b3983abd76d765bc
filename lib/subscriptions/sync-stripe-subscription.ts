import type Stripe from "stripe";
import { prisma } from "@/lib/db/client";
import type { Prisma, Subscription, SubscriptionStatus } from "@/lib/db/generated/client";
import { queueMandateEmail } from "@/lib/notifications/mandate-email";
import { recordStripeEvent } from "@/lib/payments/webhook-event-record";
import { stripeClient } from "@/lib/stripe/stripe-client";
import { beginPaidPeriod } from "./period-credit";
import { ALLOWED_TRANSITIONS, changeSubscriptionStatus, isOperative } from "./subscription-status";

/**
 * What Stripe reports about a subscription, booked on ours. Every handler re-reads the object from
 * Stripe (an event's copy may be older than the truth), finds our subscription by Stripe's id or
 * by the metadata our Checkout gave it, and stores the event id in the transaction of its effect:
 * a redelivery does nothing, and events arriving out of order only ever move a subscription along
 * an allowed transition (a late "active" never revives an EXPIRED one). A paid invoice credits the
 * plan's budget once per invoice, whichever of invoice.paid and checkout.session.completed comes
 * first.
 */

type Tx = Prisma.TransactionClient;

/** invoice.paid: the period it pays for begins (budget credited, storage period), and the state follows. */
export async function syncPaidInvoice(invoiceId: string, opts: { eventId?: string } = {}): Promise<boolean> {
  const stripe = stripeClient();
  const invoice = await stripe.invoices.retrieve(invoiceId);
  const stripeSubscriptionId = subscriptionIdOf(invoice);
  if (!stripeSubscriptionId || invoice.status !== "paid") return false;
  const stripeSubscription = await stripe.subscriptions.retrieve(stripeSubscriptionId);
  const period = invoice.lines.data[0]?.period;
  if (!period) return false;
  const periodStart = new Date(period.start * 1000);
  const periodEnd = new Date(period.end * 1000);

  return prisma.$transaction(async (tx) => {
    const ours = await ourSubscription(tx, stripeSubscription);
    if (!ours) return false;
    if (!(await recordStripeEvent(tx, opts.eventId))) return false;
    let target = ours;
    // A plan change takes effect with the first invoice of the new period.
    const scheduled = await tx.subscription.findFirst({
      where: { mandateId: ours.mandateId, status: "SCHEDULED", effectiveFrom: { lte: periodStart } },
    });
    if (scheduled && isOperative(ours.status) && ours.currentPeriodEnd && periodStart >= ours.currentPeriodEnd) {
      await changeSubscriptionStatus(tx, ours.id, "EXPIRED", `plan changed (invoice ${invoice.id})`, {
        stripeSubscriptionId: null,
      });
      await changeSubscriptionStatus(tx, scheduled.id, "ACTIVE", `plan change took effect (invoice ${invoice.id})`, {
        stripeSubscriptionId,
      });
      target = scheduled;
    } else {
      const to: SubscriptionStatus = stripeSubscription.status === "trialing" ? "TRIALING" : "ACTIVE";
      await moveAlong(tx, ours, to, `invoice ${invoice.id} paid`);
    }
    const current = await tx.subscription.findUniqueOrThrow({ where: { id: target.id } });
    if (current.status === "EXPIRED") return false;
    await tx.subscription.update({
      where: { id: target.id },
      data: { recurring: !stripeSubscription.cancel_at_period_end },
    });
    return beginPaidPeriod(tx, { subscriptionId: target.id, invoiceKey: invoice.id, periodStart, periodEnd });
  });
}

/** invoice.payment_failed: a renewal failed; Stripe retries, and the mandate may spend meanwhile (PAST_DUE). */
export async function syncFailedInvoice(invoiceId: string, opts: { eventId?: string } = {}): Promise<void> {
  const stripe = stripeClient();
  const invoice = await stripe.invoices.retrieve(invoiceId);
  const stripeSubscriptionId = subscriptionIdOf(invoice);
  if (!stripeSubscriptionId) return;
  const stripeSubscription = await stripe.subscriptions.retrieve(stripeSubscriptionId);
  await prisma.$transaction(async (tx) => {
    const ours = await ourSubscription(tx, stripeSubscription);
    if (!ours || !(await recordStripeEvent(tx, opts.eventId))) return;
    if (ours.status !== "ACTIVE" && ours.status !== "PAST_DUE") return;
    await moveAlong(tx, ours, "PAST_DUE", `invoice ${invoice.id} not paid; Stripe retries`);
    // Once per invoice (the e-mail's key), whether this event or the subscription's update came first.
    await queueMandateEmail(tx, {
      kind: "subscription-payment-failed",
      subscriptionId: ours.id,
      invoiceId: invoice.id,
    });
  });
}

/** customer.subscription.updated / .deleted: the state and whether it renews, as Stripe has them now. */
export async function syncStripeSubscription(
  stripeSubscriptionId: string,
  opts: { eventId?: string } = {},
): Promise<void> {
  const stripeSubscription = await stripeClient().subscriptions.retrieve(stripeSubscriptionId);
  await prisma.$transaction(async (tx) => {
    const ours = await ourSubscription(tx, stripeSubscription);
    if (!ours || !(await recordStripeEvent(tx, opts.eventId))) return;
    await applyStripeState(tx, ours, stripeSubscription);
  });
}

/** checkout.session.completed in subscription mode: our subscription learns its Stripe id, then its invoice. */
export async function syncSubscriptionCheckout(
  session: Stripe.Checkout.Session,
  opts: { eventId?: string } = {},
): Promise<void> {
  const stripeSubscriptionId =
    typeof session.subscription === "string" ? session.subscription : session.subscription?.id;
  if (!stripeSubscriptionId) return;
  const stripeSubscription = await stripeClient().subscriptions.retrieve(stripeSubscriptionId);
  await prisma.$transaction(async (tx) => {
    const ours = await ourSubscription(tx, stripeSubscription);
    if (!ours || !(await recordStripeEvent(tx, opts.eventId))) return;
    await applyStripeState(tx, ours, stripeSubscription);
  });
  // The first invoice: credited here if its own event has not come yet (once either way).
  const invoiceId = typeof session.invoice === "string" ? session.invoice : session.invoice?.id;
  if (invoiceId) await syncPaidInvoice(invoiceId);
}

async function applyStripeState(tx: Tx, ours: Subscription, stripeSubscription: Stripe.Subscription): Promise<void> {
  const note = `Stripe: subscription ${stripeSubscription.id} is ${stripeSubscription.status}`;
  const to = statusFor(stripeSubscription.status);
  if (to) await moveAlong(tx, ours, to, note);
  const now = await tx.subscription.findUniqueOrThrow({ where: { id: ours.id } });
  if (now.status === "EXPIRED") {
    // A plan change was to continue this Stripe subscription: it ends with it.
    const scheduled = await tx.subscription.findFirst({
      where: { mandateId: ours.mandateId, status: "SCHEDULED", grantedByUserId: null },
    });
    if (scheduled) await changeSubscriptionStatus(tx, scheduled.id, "EXPIRED", `${note}; the plan change lapses`);
    return;
  }
  if (now.recurring === stripeSubscription.cancel_at_period_end) {
    await tx.subscription.update({
      where: { id: ours.id },
      data: { recurring: !stripeSubscription.cancel_at_period_end },
    });
  }
}

/**
 * Our state for Stripe's; null where Stripe's says nothing we act on: incomplete (waiting for its
 * first payment) and paused leave it to the invoice events.
 */
const STATUS_FOR: Record<Stripe.Subscription.Status, SubscriptionStatus | null> = {
  active: "ACTIVE",
  trialing: "TRIALING",
  past_due: "PAST_DUE",
  canceled: "EXPIRED",
  unpaid: "EXPIRED",
  incomplete_expired: "EXPIRED",
  incomplete: null,
  paused: null,
};

function statusFor(status: Stripe.Subscription.Status): SubscriptionStatus | null {
  return STATUS_FOR[status] ?? null;
}

/** Moves when the transition is allowed; an event that would go back (out of order) changes nothing. */
async function moveAlong(tx: Tx, ours: Subscription, to: SubscriptionStatus, note: string): Promise<void> {
  if (ours.status === to || !ALLOWED_TRANSITIONS[ours.status].includes(to)) return;
  await changeSubscriptionStatus(tx, ours.id, to, note);
  ours.status = to;
}

/**
 * Ours, locked: by Stripe's id, else by the subscriptionId our Checkout put in its metadata (then
 * it learns Stripe's id). Null for a Stripe subscription that is not ours.
 */
async function ourSubscription(tx: Tx, stripeSubscription: Stripe.Subscription): Promise<Subscription | null> {
  const [byStripe] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM subscription WHERE stripe_subscription_id = ${stripeSubscription.id} FOR UPDATE`;
  if (byStripe) return tx.subscription.findUniqueOrThrow({ where: { id: byStripe.id } });
  const ourId = stripeSubscription.metadata?.subscriptionId;
  if (!ourId) return null;
  const [byMetadata] = await tx.$queryRaw<{ id: string; stripe_subscription_id: string | null }[]>`
    SELECT id, stripe_subscription_id FROM subscription WHERE id::text = ${ourId} FOR UPDATE`;
  if (!byMetadata) return null;
  if (byMetadata.stripe_subscription_id && byMetadata.stripe_subscription_id !== stripeSubscription.id) return null;
  return tx.subscription.update({
    where: { id: byMetadata.id },
    data: { stripeSubscriptionId: stripeSubscription.id },
  });
}

function subscriptionIdOf(invoice: Stripe.Invoice): string | null {
  const ref = invoice.parent?.subscription_details?.subscription;
  if (!ref) return null;
  return typeof ref === "string" ? ref : ref.id;
}
