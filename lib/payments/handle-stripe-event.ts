import type Stripe from "stripe";
import { bookDispute, type DisputeEventType } from "./book-dispute";
import { bookRefunds } from "./book-refunds";
import { fulfilCheckoutSession } from "./fulfil-checkout";
import { settleRechargeIntent } from "./settle-recharge";
import { stripeClient } from "@/lib/stripe/stripe-client";
import {
  syncFailedInvoice,
  syncPaidInvoice,
  syncStripeSubscription,
  syncSubscriptionCheckout,
} from "@/lib/subscriptions/sync-stripe-subscription";

type EventHandler = (objectId: string, eventId: string) => Promise<unknown>;

const onDispute =
  (type: DisputeEventType): EventHandler =>
  (disputeId, eventId) =>
    bookDispute(disputeId, type, { eventId });

/**
 * The function for each event type we act on. Each re-reads its object from Stripe (an event may
 * be late, its copy older than the truth) and stores the event id in the transaction that books
 * its effect, so a redelivery does nothing.
 */
const HANDLERS: Partial<Record<Stripe.Event.Type, EventHandler>> = {
  "checkout.session.completed": (sessionId, eventId) => onCheckoutCompleted(sessionId, eventId),
  "checkout.session.async_payment_succeeded": (sessionId, eventId) => fulfilCheckoutSession(sessionId, { eventId }),
  "checkout.session.async_payment_failed": (sessionId, eventId) =>
    fulfilCheckoutSession(sessionId, { eventId, failed: true }),
  "checkout.session.expired": (sessionId, eventId) => fulfilCheckoutSession(sessionId, { eventId }),
  // Automatic recharges (off-session intents; a top-up's intent belongs to its Checkout Session).
  "payment_intent.succeeded": (intentId, eventId) => settleRechargeIntent(intentId, { eventId }),
  "payment_intent.processing": (intentId, eventId) => settleRechargeIntent(intentId, { eventId }),
  "payment_intent.payment_failed": (intentId, eventId) => settleRechargeIntent(intentId, { eventId }),
  "charge.refunded": (chargeId, eventId) => bookRefunds(chargeId, { eventId }),
  // Subscriptions (lib/subscriptions/sync-stripe-subscription.ts).
  "invoice.paid": (invoiceId, eventId) => syncPaidInvoice(invoiceId, { eventId }),
  "invoice.payment_failed": (invoiceId, eventId) => syncFailedInvoice(invoiceId, { eventId }),
  "customer.subscription.updated": (id, eventId) => syncStripeSubscription(id, { eventId }),
  "customer.subscription.deleted": (id, eventId) => syncStripeSubscription(id, { eventId }),
  "charge.dispute.created": onDispute("charge.dispute.created"),
  "charge.dispute.funds_withdrawn": onDispute("charge.dispute.funds_withdrawn"),
  "charge.dispute.funds_reinstated": onDispute("charge.dispute.funds_reinstated"),
  "charge.dispute.closed": onDispute("charge.dispute.closed"),
};

/** A top-up's Checkout is fulfilled; a subscription's links our subscription and books its first invoice. */
async function onCheckoutCompleted(sessionId: string, eventId: string): Promise<unknown> {
  const session = await stripeClient().checkout.sessions.retrieve(sessionId);
  if (session.mode === "subscription") return syncSubscriptionCheckout(session, { eventId });
  return fulfilCheckoutSession(sessionId, { eventId });
}

/**
 * One verified Stripe event. Every type without a handler is ignored: Stripe must get a 2xx for
 * it, or it disables an endpoint that keeps failing.
 */
export async function handleStripeEvent(event: Stripe.Event): Promise<"handled" | "ignored"> {
  const handler = HANDLERS[event.type];
  const objectId = (event.data.object as { id?: unknown }).id;
  if (!handler || typeof objectId !== "string") return "ignored";
  await handler(objectId, event.id);
  return "handled";
}
