import type { Price, Subscription, SubscriptionItem } from "../billing-types";
import { invalidRequest } from "../errors";
import type { RequestInfo, StripeState } from "../state";
import { nowSeconds } from "../store";
import {
  attemptInvoicePayment,
  createSubscriptionInvoice,
  finalizeInvoice,
  type InvoiceLineInput,
  offSessionOutcome,
  subscriptionPaymentMethod,
} from "./invoices";
import { planOf, priceName } from "./products-prices";

export interface PlanChange {
  price: Price;
  quantity: number;
  prorationBehavior: "create_prorations" | "always_invoice" | "none";
}

/** `amount × part / whole`, rounded half up on the magnitude, in integers (minor units). */
function prorate(amount: number, part: number, whole: number): number {
  if (whole <= 0) return 0;
  const magnitude = Math.floor((2 * Math.abs(amount) * part + whole) / (2 * whole));
  return amount < 0 ? -magnitude : magnitude;
}

function prorationLines(
  state: StripeState,
  item: SubscriptionItem,
  old: { price: Price; quantity: number },
  change: PlanChange,
): InvoiceLineInput[] {
  const start = item.current_period_start;
  const end = item.current_period_end;
  // Renewals are advanced by hand, so "now" may lie before a period that starts in the future.
  const at = Math.min(Math.max(nowSeconds(), start), end);
  const remaining = end - at;
  const day = new Date(at * 1000).toISOString().slice(0, 10);
  const lines: InvoiceLineInput[] = [
    {
      description: `Unused time on ${old.quantity} × ${priceName(state, old.price)} after ${day}`,
      amount: -prorate(old.price.unit_amount * old.quantity, remaining, end - start),
      price: old.price,
      quantity: old.quantity,
      period: { start: at, end },
      proration: true,
      subscriptionItem: item.id,
    },
    {
      description: `Remaining time on ${change.quantity} × ${priceName(state, change.price)} after ${day}`,
      amount: prorate(change.price.unit_amount * change.quantity, remaining, end - start),
      price: change.price,
      quantity: change.quantity,
      period: { start: at, end },
      proration: true,
      subscriptionItem: item.id,
    },
  ];
  return lines.filter((line) => line.amount !== 0);
}

/** The proration lines left for the next renewal, as invoice lines; empties the list. */
export function takePendingProrations(state: StripeState, subscription: Subscription): InvoiceLineInput[] {
  const extras = state.store.subscriptionExtras.get(subscription.id);
  if (!extras) return [];
  const item = subscription.items.data[0];
  const lines = extras.pendingProrations.map((pending) => ({
    description: pending.description,
    amount: pending.amount,
    price: state.store.get("prices", pending.price),
    quantity: pending.quantity,
    period: { ...pending.period },
    proration: true,
    subscriptionItem: item?.id ?? "",
  }));
  extras.pendingProrations = [];
  return lines;
}

/**
 * Swaps the subscription's price now and records its old items in `previous` (for the
 * `customer.subscription.updated` the caller emits). Prorations follow `proration_behavior`:
 * `none` books nothing, `create_prorations` (Stripe's default) keeps them for the next renewal
 * invoice, `always_invoice` bills them at once. The answer runs after the updated event, because
 * at Stripe the proration invoice's events follow it.
 */
export function changePlan(
  state: StripeState,
  subscription: Subscription,
  change: PlanChange,
  previous: Record<string, unknown>,
): (request: RequestInfo) => void {
  const item = subscription.items.data[0];
  if (!item) throw new Error(`${subscription.id} has no item`);
  const oldRecurring = item.price.recurring;
  const newRecurring = change.price.recurring;
  if (
    !oldRecurring ||
    !newRecurring ||
    oldRecurring.interval !== newRecurring.interval ||
    oldRecurring.interval_count !== newRecurring.interval_count
  ) {
    throw invalidRequest(
      "This test server changes plans within the same billing interval only (no billing cycle reset).",
      "items[0][price]",
    );
  }
  if (change.price.currency !== subscription.currency) {
    throw invalidRequest("The price's currency must match the subscription's currency.", "items[0][price]");
  }
  const old = { price: item.price, quantity: item.quantity };
  previous.items = structuredClone(subscription.items);
  item.price = structuredClone(change.price);
  item.plan = planOf(change.price);
  item.quantity = change.quantity;
  const prorates = change.prorationBehavior !== "none" && subscription.status !== "trialing";
  const lines = prorates ? prorationLines(state, item, old, change) : [];
  if (change.prorationBehavior !== "always_invoice" || lines.length === 0) {
    const extras = state.store.subscriptionExtras.get(subscription.id);
    extras?.pendingProrations.push(
      ...lines.map((line) => ({
        description: line.description,
        amount: line.amount,
        price: line.price.id,
        quantity: line.quantity,
        period: line.period,
      })),
    );
    return () => undefined;
  }
  return (request) => {
    const now = nowSeconds();
    const invoice = createSubscriptionInvoice(state, subscription, {
      billingReason: "subscription_update",
      period: { start: now, end: now },
      lines: [...takePendingProrations(state, subscription), ...lines],
    });
    state.emit("invoice.created", invoice, request);
    finalizeInvoice(state, invoice, request);
    const paymentMethod = subscriptionPaymentMethod(state, subscription);
    const outcome = offSessionOutcome(state, paymentMethod);
    const paid = attemptInvoicePayment(state, invoice, paymentMethod, outcome, request);
    if (!paid && subscription.status === "active") {
      subscription.status = "past_due";
      state.emit("customer.subscription.updated", subscription, request, { status: "active" });
    }
  };
}
