import type {
  Invoice,
  InvoiceBillingReason,
  InvoiceLineItem,
  InvoicePayment,
  Price,
  Subscription,
} from "../billing-types";
import { cardBehaviour } from "../cards";
import { invalidRequest } from "../errors";
import type { Route } from "../router";
import type { RequestInfo, StripeState } from "../state";
import { expand, newId, nowSeconds, paginate } from "../store";
import type { PaymentMethod } from "../types";
import { newPaymentIntent, recordFailedCharge, succeedPaymentIntent } from "./payment-intents";
import { cardNumberOf } from "./payment-methods";
import { retrieveRoute } from "./standard-routes";

export interface InvoiceLineInput {
  description: string;
  amount: number;
  price: Price;
  quantity: number;
  period: { start: number; end: number };
  proration: boolean;
  subscriptionItem: string;
}

/**
 * A subscription's invoice in draft; the caller emits `invoice.created` when its turn comes
 * (after `customer.subscription.created` for a new one). `period` is the invoice's own
 * period, which at Stripe is the one just ended; the lines carry the period being paid for.
 */
export function createSubscriptionInvoice(
  state: StripeState,
  subscription: Subscription,
  input: { billingReason: InvoiceBillingReason; lines: InvoiceLineInput[]; period: { start: number; end: number } },
): Invoice {
  const customer = state.store.get("customers", subscription.customer);
  const id = newId("in_");
  const lines: InvoiceLineItem[] = input.lines.map((line) => ({
    id: newId("il_"),
    object: "line_item",
    amount: line.amount,
    currency: line.price.currency,
    description: line.description,
    discount_amounts: [],
    discountable: !line.proration,
    discounts: [],
    invoice: id,
    livemode: false,
    metadata: {},
    parent: {
      type: "subscription_item_details",
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: line.proration ? newId("ii_") : null,
        proration: line.proration,
        proration_details: { credited_items: null },
        subscription: subscription.id,
        subscription_item: line.subscriptionItem,
      },
    },
    period: { ...line.period },
    pretax_credit_amounts: [],
    pricing: {
      type: "price_details",
      price_details: { price: line.price.id, product: line.price.product },
      unit_amount_decimal: line.price.unit_amount_decimal,
    },
    quantity: line.quantity,
    subtotal: line.amount,
    taxes: [],
  }));
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const invoice: Invoice = {
    id,
    object: "invoice",
    created: nowSeconds(),
    livemode: false,
    amount_due: Math.max(0, total + customer.balance),
    amount_paid: 0,
    amount_remaining: Math.max(0, total + customer.balance),
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    billing_reason: input.billingReason,
    collection_method: "charge_automatically",
    currency: subscription.currency,
    customer: customer.id,
    customer_email: customer.email,
    customer_name: customer.name,
    default_payment_method: null,
    description: null,
    due_date: null,
    effective_at: null,
    ending_balance: null,
    hosted_invoice_url: null,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    metadata: {},
    next_payment_attempt: null,
    number: null,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
    },
    payments: { object: "list", data: [], has_more: false, url: `/v1/invoice_payments?invoice=${id}` },
    period_end: input.period.end,
    period_start: input.period.start,
    starting_balance: customer.balance,
    status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    total,
  };
  state.store.invoices.set(id, invoice);
  subscription.latest_invoice = id;
  return invoice;
}

/** Draft → open, with a number; a credit balance on the customer is used up here, as at Stripe. */
export function finalizeInvoice(state: StripeState, invoice: Invoice, request: RequestInfo): void {
  const customer = state.store.get("customers", invoice.customer);
  const count = (state.store.invoiceCounts.get(customer.id) ?? 0) + 1;
  state.store.invoiceCounts.set(customer.id, count);
  invoice.number = `${customer.id.slice(4, 12).toUpperCase()}-${String(count).padStart(4, "0")}`;
  invoice.status = "open";
  invoice.effective_at = nowSeconds();
  invoice.status_transitions.finalized_at = invoice.effective_at;
  invoice.ending_balance = Math.min(0, invoice.total + invoice.starting_balance);
  customer.balance = invoice.ending_balance;
  state.emit("invoice.finalized", invoice, request);
}

function markPaid(state: StripeState, invoice: Invoice, request: RequestInfo): void {
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = nowSeconds();
  state.emit("invoice.paid", invoice, request);
  state.emit("invoice.payment_succeeded", invoice, request);
}

/**
 * One payment attempt on an open invoice, off-session with the given card; `outcome` decides
 * (renewals are under test control, not the card's). Answers whether the invoice is now paid.
 * A failed attempt leaves the invoice open with `attempt_count` raised and emits
 * `invoice.payment_failed` after the intent's own failure events.
 */
export function attemptInvoicePayment(
  state: StripeState,
  invoice: Invoice,
  paymentMethod: PaymentMethod | null,
  outcome: "paid" | "failed",
  request: RequestInfo,
): boolean {
  if (invoice.status !== "open") {
    throw invalidRequest(`Invoice ${invoice.id} is ${invoice.status}, not open.`, undefined, "invoice_not_editable");
  }
  invoice.attempted = true;
  if (invoice.amount_due === 0) {
    markPaid(state, invoice, request);
    return true;
  }
  invoice.attempt_count += 1;
  if (paymentMethod) {
    const paymentIntent = newPaymentIntent({
      amount: invoice.amount_due,
      currency: invoice.currency,
      customer: invoice.customer,
      description: invoice.billing_reason === "subscription_create" ? "Subscription creation" : "Subscription update",
      metadata: {},
      setup_future_usage: "off_session",
    });
    paymentIntent.payment_method = paymentMethod.id;
    paymentIntent.status = "requires_confirmation";
    state.store.paymentIntents.set(paymentIntent.id, paymentIntent);
    state.emit("payment_intent.created", paymentIntent, request);
    const payment: InvoicePayment = {
      id: newId("inpay_"),
      object: "invoice_payment",
      amount_paid: null,
      amount_requested: invoice.amount_due,
      created: nowSeconds(),
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: { type: "payment_intent", payment_intent: paymentIntent.id },
      status: "open",
      status_transitions: { canceled_at: null, paid_at: null },
    };
    for (const earlier of invoice.payments.data) {
      earlier.is_default = false;
      if (earlier.status === "open") {
        earlier.status = "canceled";
        earlier.status_transitions.canceled_at = payment.created;
      }
    }
    invoice.payments.data.unshift(payment);
    if (outcome === "paid") {
      succeedPaymentIntent(state, paymentIntent, paymentMethod, request);
      payment.status = "paid";
      payment.amount_paid = invoice.amount_due;
      payment.status_transitions.paid_at = nowSeconds();
      markPaid(state, invoice, request);
      return true;
    }
    const failure = { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
    recordFailedCharge(state, paymentIntent, paymentMethod, failure, request);
  }
  invoice.next_payment_attempt = nowSeconds() + 3 * 24 * 60 * 60;
  state.emit("invoice.payment_failed", invoice, request);
  return false;
}

/** After the last retry: the invoice is written off (`invoice.marked_uncollectible`). */
export function markUncollectible(state: StripeState, invoice: Invoice, request: RequestInfo): void {
  invoice.status = "uncollectible";
  invoice.next_payment_attempt = null;
  invoice.status_transitions.marked_uncollectible_at = nowSeconds();
  state.emit("invoice.marked_uncollectible", invoice, request);
}

export function voidInvoice(state: StripeState, invoice: Invoice, request: RequestInfo): void {
  invoice.status = "void";
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.voided_at = nowSeconds();
  state.emit("invoice.voided", invoice, request);
}

/** How an off-session charge on this card goes, from its test behaviour. */
export function offSessionOutcome(state: StripeState, paymentMethod: PaymentMethod | null): "paid" | "failed" {
  if (!paymentMethod) return "failed";
  const behaviour = cardBehaviour(cardNumberOf(state, paymentMethod));
  return behaviour === "declined" || behaviour === "authenticationRequiredOffSession" ? "failed" : "paid";
}

/** The card a subscription's invoices are charged to: its own default, else the customer's. */
export function subscriptionPaymentMethod(state: StripeState, subscription: Subscription): PaymentMethod | null {
  const id =
    subscription.default_payment_method ??
    state.store.get("customers", subscription.customer).invoice_settings.default_payment_method;
  return id ? (state.store.paymentMethods.get(id) ?? null) : null;
}

export function subscriptionOfInvoice(invoice: Invoice): string {
  return invoice.parent.subscription_details.subscription;
}

export const invoiceRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/invoices",
    handler: (state, req) => {
      const { params } = req;
      const customer = params.string("customer");
      const subscription = params.string("subscription");
      const status = params.string("status");
      const invoices = [...state.store.invoices.values()].filter(
        (invoice) =>
          (customer === undefined || invoice.customer === customer) &&
          (subscription === undefined || subscriptionOfInvoice(invoice) === subscription) &&
          (status === undefined || invoice.status === status),
      );
      return expand(state.store, paginate(invoices, params, "/v1/invoices"), params.strings("expand"));
    },
  },
  retrieveRoute("/v1/invoices", "invoices"),
];
