import type { Price, Subscription, SubscriptionItem } from "../billing-types";
import { formatAmount } from "../html";
import type { RequestInfo, StripeState } from "../state";
import { newId, nowSeconds } from "../store";
import type { Metadata, PaymentMethod } from "../types";
import { attemptInvoicePayment, createSubscriptionInvoice, finalizeInvoice } from "./invoices";
import { addInterval, planOf, priceName } from "./products-prices";

const DAY_SECONDS = 24 * 60 * 60;

export interface StartSubscriptionInput {
  customer: string;
  price: Price;
  quantity: number;
  metadata: Metadata;
  trialPeriodDays: number | null;
  paymentMethod: PaymentMethod | null;
  /** Whether the first invoice's payment succeeds (ignored in a trial, whose invoice is 0). */
  outcome: "paid" | "failed";
  /** default_incomplete: make the first invoice but do not try to pay it. */
  attemptPayment: boolean;
}

export function subscriptionItem(subscription: Subscription): SubscriptionItem {
  const item = subscription.items.data[0];
  if (!item) throw new Error(`${subscription.id} has no item`);
  return item;
}

export function lineDescription(state: StripeState, price: Price, quantity: number): string {
  const interval = price.recurring?.interval ?? "month";
  return `${quantity} × ${priceName(state, price)} (at ${formatAmount(price.unit_amount, price.currency)} / ${interval})`;
}

/**
 * A new subscription and its first invoice, with Stripe's events in Stripe's order:
 * `customer.subscription.created`, `invoice.created`, `invoice.finalized`, the payment's own
 * events, then `invoice.paid` + `invoice.payment_succeeded` (or `invoice.payment_failed`, and the
 * subscription stays `incomplete`). A trial's first invoice is 0 and paid at once.
 */
export function startSubscription(
  state: StripeState,
  input: StartSubscriptionInput,
  request: RequestInfo,
): Subscription {
  const recurring = input.price.recurring;
  if (!recurring) throw new Error(`${input.price.id} is not recurring`);
  const now = nowSeconds();
  const trialEnd = input.trialPeriodDays ? now + input.trialPeriodDays * DAY_SECONDS : null;
  const periodEnd = trialEnd ?? addInterval(now, recurring.interval, recurring.interval_count);
  const id = newId("sub_");
  const item: SubscriptionItem = {
    id: newId("si_", 14),
    object: "subscription_item",
    created: now,
    current_period_end: periodEnd,
    current_period_start: now,
    discounts: [],
    metadata: {},
    plan: planOf(input.price),
    price: structuredClone(input.price),
    quantity: input.quantity,
    subscription: id,
    tax_rates: [],
  };
  const paidAtOnce = trialEnd !== null || (input.attemptPayment && input.outcome === "paid");
  const subscription: Subscription = {
    id,
    object: "subscription",
    created: now,
    livemode: false,
    billing_cycle_anchor: periodEnd,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: "charge_automatically",
    currency: input.price.currency,
    customer: input.customer,
    days_until_due: null,
    default_payment_method: input.paymentMethod?.id ?? null,
    description: null,
    discounts: [],
    ended_at: null,
    items: { object: "list", data: [item], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    metadata: { ...input.metadata },
    pause_collection: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialEnd !== null ? "trialing" : paidAtOnce ? "active" : "incomplete",
    test_clock: null,
    trial_end: trialEnd,
    trial_start: trialEnd !== null ? now : null,
  };
  // The anchor is the day the paid periods start from: today without a trial, its end with one.
  if (trialEnd === null) subscription.billing_cycle_anchor = now;
  state.store.subscriptions.set(id, subscription);
  state.store.subscriptionExtras.set(id, { pendingProrations: [] });
  const invoice = createSubscriptionInvoice(state, subscription, {
    billingReason: "subscription_create",
    period: { start: now, end: now },
    lines: [
      {
        description:
          trialEnd !== null
            ? `Trial period for ${priceName(state, input.price)}`
            : lineDescription(state, input.price, input.quantity),
        amount: trialEnd !== null ? 0 : input.price.unit_amount * input.quantity,
        price: input.price,
        quantity: input.quantity,
        period: { start: now, end: periodEnd },
        proration: false,
        subscriptionItem: item.id,
      },
    ],
  });
  state.emit("customer.subscription.created", subscription, request);
  state.emit("invoice.created", invoice, request);
  finalizeInvoice(state, invoice, request);
  if (input.attemptPayment || invoice.amount_due === 0) {
    attemptInvoicePayment(state, invoice, input.paymentMethod, input.outcome, request);
  }
  return subscription;
}
