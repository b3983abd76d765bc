import type { Invoice, Subscription } from "../billing-types";
import { invalidRequest } from "../errors";
import { NO_REQUEST, type StripeState } from "../state";
import {
  attemptInvoicePayment,
  createSubscriptionInvoice,
  finalizeInvoice,
  markUncollectible,
  subscriptionOfInvoice,
  subscriptionPaymentMethod,
  voidInvoice,
} from "./invoices";
import { addInterval } from "./products-prices";
import { takePendingProrations } from "./subscription-changes";
import { lineDescription, subscriptionItem } from "./subscription-start";
import { endSubscription } from "./subscriptions";

export interface AdvanceOptions {
  /** Whether this period's payment (or the retry of an unpaid invoice) succeeds; default paid. */
  outcome?: "paid" | "failed";
}

/**
 * Time passing, under test control (there is no clock): the next thing that would happen to
 * the subscription happens now.
 * - An open invoice (past_due, unpaid, incomplete) is retried: paid → active; failed → one
 *   more failed attempt, and at the policy's last attempt canceled (or unpaid).
 * - Otherwise the period ends: a subscription set to cancel at period end is canceled
 *   (`customer.subscription.deleted`); any other moves to the next period (a trial becomes
 *   active), gets its `subscription_cycle` invoice and pays it or goes past_due.
 */
export function advanceSubscription(state: StripeState, id: string, options: AdvanceOptions = {}): Subscription {
  const subscription = state.store.get("subscriptions", id);
  const outcome = options.outcome ?? "paid";
  if (subscription.status === "canceled" || subscription.status === "incomplete_expired") {
    throw invalidRequest(`Subscription ${id} has ended (${subscription.status}).`, undefined, "resource_missing");
  }
  const open = [...state.store.invoices.values()].find(
    (invoice) => subscriptionOfInvoice(invoice) === id && invoice.status === "open",
  );
  if (open) return retryInvoice(state, subscription, open, outcome);

  const item = subscriptionItem(subscription);
  if (subscription.cancel_at_period_end) {
    endSubscription(state, subscription, "cancellation_requested", NO_REQUEST, item.current_period_end);
    return subscription;
  }
  const recurring = item.price.recurring;
  if (!recurring) throw new Error(`${item.price.id} is not recurring`);
  const previous: Record<string, unknown> = {
    items: structuredClone(subscription.items),
    latest_invoice: subscription.latest_invoice,
  };
  const lastStart = item.current_period_start;
  const start = item.current_period_end;
  item.current_period_start = start;
  item.current_period_end = nextPeriodEnd(subscription.billing_cycle_anchor, start, recurring);
  if (subscription.status === "trialing") {
    previous.status = "trialing";
    subscription.status = "active";
  }
  const invoice = createSubscriptionInvoice(state, subscription, {
    billingReason: "subscription_cycle",
    period: { start: lastStart, end: start },
    lines: [
      ...takePendingProrations(state, subscription),
      {
        description: lineDescription(state, item.price, item.quantity),
        amount: item.price.unit_amount * item.quantity,
        price: item.price,
        quantity: item.quantity,
        period: { start: item.current_period_start, end: item.current_period_end },
        proration: false,
        subscriptionItem: item.id,
      },
    ],
  });
  // At Stripe the period rolls over first; the invoice is finalized and charged after it.
  state.emit("customer.subscription.updated", subscription, NO_REQUEST, previous);
  state.emit("invoice.created", invoice, NO_REQUEST);
  finalizeInvoice(state, invoice, NO_REQUEST);
  if (!chargeInvoice(state, subscription, invoice, outcome)) afterFailedAttempt(state, subscription, invoice);
  return subscription;
}

function chargeInvoice(state: StripeState, subscription: Subscription, invoice: Invoice, outcome: "paid" | "failed") {
  return attemptInvoicePayment(state, invoice, subscriptionPaymentMethod(state, subscription), outcome, NO_REQUEST);
}

/** The end of the period after `after`, counted from the anchor so a 31st stays the 31st where it can. */
function nextPeriodEnd(
  anchor: number,
  after: number,
  recurring: { interval: "month" | "year"; interval_count: number },
): number {
  for (let periods = 1; ; periods++) {
    const end = addInterval(anchor, recurring.interval, recurring.interval_count * periods);
    if (end > after) return end;
  }
}

function retryInvoice(
  state: StripeState,
  subscription: Subscription,
  invoice: Invoice,
  outcome: "paid" | "failed",
): Subscription {
  if (chargeInvoice(state, subscription, invoice, outcome)) {
    if (subscription.status !== "active" && subscription.status !== "trialing") {
      const previous = { status: subscription.status };
      subscription.status = "active";
      state.emit("customer.subscription.updated", subscription, NO_REQUEST, previous);
    }
    return subscription;
  }
  if (subscription.status === "incomplete") {
    // The first payment did not come within Stripe's 23 hours: the subscription never started.
    // Stripe reports this terminal state with an update, not with customer.subscription.deleted.
    voidInvoice(state, invoice, NO_REQUEST);
    subscription.status = "incomplete_expired";
    subscription.ended_at = invoice.status_transitions.voided_at;
    subscription.canceled_at = subscription.ended_at;
    state.emit("customer.subscription.updated", subscription, NO_REQUEST, { status: "incomplete", canceled_at: null });
    return subscription;
  }
  afterFailedAttempt(state, subscription, invoice);
  return subscription;
}

function afterFailedAttempt(state: StripeState, subscription: Subscription, invoice: Invoice): void {
  const policy = state.subscriptionRetries;
  if (invoice.attempt_count >= policy.attempts) {
    invoice.next_payment_attempt = null;
    if (policy.afterFinal === "cancel") {
      markUncollectible(state, invoice, NO_REQUEST);
      endSubscription(state, subscription, "payment_failed", NO_REQUEST);
      return;
    }
    if (subscription.status !== "unpaid") {
      const previous = { status: subscription.status };
      subscription.status = "unpaid";
      state.emit("customer.subscription.updated", subscription, NO_REQUEST, previous);
    }
    return;
  }
  if (subscription.status !== "past_due") {
    const previous = { status: subscription.status };
    subscription.status = "past_due";
    state.emit("customer.subscription.updated", subscription, NO_REQUEST, previous);
  }
}
