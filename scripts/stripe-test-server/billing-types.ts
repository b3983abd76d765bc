/**
 * Stripe Billing objects as the bundled stripe-node's API version serialises them (products,
 * prices, subscriptions, invoices, portal sessions), limited like types.ts to the fields a
 * product reads. In this API version the billing period lives on the subscription items
 * (`items.data[].current_period_start/end`), and an invoice names its subscription under
 * `parent.subscription_details.subscription` and its payments under `payments`.
 */
import type Stripe from "stripe";
import type { CheckoutSession, ListObject, Metadata } from "./types";

interface StripeObjectBase {
  id: string;
  created: number;
  livemode: false;
}

export type RecurringInterval = "month" | "year";

export interface Product extends StripeObjectBase {
  object: "product";
  active: boolean;
  default_price: string | null;
  description: string | null;
  images: string[];
  marketing_features: never[];
  metadata: Metadata;
  name: string;
  package_dimensions: null;
  shippable: null;
  tax_code: null;
  type: "service";
  unit_label: null;
  updated: number;
  url: null;
}

export interface Price extends StripeObjectBase {
  object: "price";
  active: boolean;
  billing_scheme: "per_unit";
  currency: string;
  custom_unit_amount: null;
  lookup_key: string | null;
  metadata: Metadata;
  nickname: string | null;
  product: string;
  recurring: {
    interval: RecurringInterval;
    interval_count: number;
    meter: null;
    trial_period_days: number | null;
    usage_type: "licensed";
  } | null;
  tax_behavior: "unspecified";
  tiers_mode: null;
  transform_quantity: null;
  type: "recurring" | "one_time";
  unit_amount: number;
  unit_amount_decimal: string;
}

/** The legacy Plan view of a recurring price, still part of every subscription item. */
export interface Plan extends StripeObjectBase {
  object: "plan";
  active: boolean;
  amount: number;
  amount_decimal: string;
  billing_scheme: "per_unit";
  currency: string;
  interval: RecurringInterval;
  interval_count: number;
  metadata: Metadata;
  meter: null;
  nickname: string | null;
  product: string;
  tiers_mode: null;
  transform_usage: null;
  trial_period_days: number | null;
  usage_type: "licensed";
}

/** Unlike most objects, a subscription item has no `livemode`. */
export interface SubscriptionItem {
  id: string;
  object: "subscription_item";
  created: number;
  current_period_end: number;
  current_period_start: number;
  discounts: never[];
  metadata: Metadata;
  plan: Plan;
  price: Price;
  quantity: number;
  subscription: string;
  tax_rates: never[];
}

export type SubscriptionStatus =
  "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid";

export interface Subscription extends StripeObjectBase {
  object: "subscription";
  billing_cycle_anchor: number;
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  cancellation_details: {
    comment: string | null;
    feedback: string | null;
    reason: "cancellation_requested" | "payment_failed" | "payment_disputed" | null;
  };
  collection_method: "charge_automatically";
  currency: string;
  customer: string;
  days_until_due: null;
  default_payment_method: string | null;
  description: string | null;
  discounts: never[];
  ended_at: number | null;
  items: ListObject<SubscriptionItem>;
  latest_invoice: string | null;
  metadata: Metadata;
  pause_collection: null;
  pending_update: null;
  schedule: null;
  start_date: number;
  status: SubscriptionStatus;
  test_clock: null;
  trial_end: number | null;
  trial_start: number | null;
}

export type InvoiceBillingReason = "subscription_create" | "subscription_cycle" | "subscription_update";

export interface InvoiceLineItem {
  id: string;
  object: "line_item";
  amount: number;
  currency: string;
  description: string;
  discount_amounts: never[];
  discountable: boolean;
  discounts: never[];
  invoice: string;
  livemode: false;
  metadata: Metadata;
  parent: {
    type: "subscription_item_details";
    invoice_item_details: null;
    subscription_item_details: {
      invoice_item: string | null;
      proration: boolean;
      proration_details: { credited_items: null };
      subscription: string;
      subscription_item: string;
    };
  };
  period: { start: number; end: number };
  pretax_credit_amounts: never[];
  pricing: {
    type: "price_details";
    price_details: { price: string; product: string };
    unit_amount_decimal: string;
  };
  quantity: number;
  subtotal: number;
  taxes: never[];
}

export interface InvoicePayment {
  id: string;
  object: "invoice_payment";
  amount_paid: number | null;
  amount_requested: number;
  created: number;
  currency: string;
  invoice: string;
  is_default: boolean;
  livemode: false;
  payment: { type: "payment_intent"; payment_intent: string };
  status: "open" | "paid" | "canceled";
  status_transitions: { canceled_at: number | null; paid_at: number | null };
}

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";

export interface Invoice extends StripeObjectBase {
  object: "invoice";
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  auto_advance: boolean;
  billing_reason: InvoiceBillingReason;
  collection_method: "charge_automatically";
  currency: string;
  customer: string;
  customer_email: string | null;
  customer_name: string | null;
  default_payment_method: null;
  description: string | null;
  due_date: null;
  effective_at: number | null;
  ending_balance: number | null;
  hosted_invoice_url: string | null;
  lines: ListObject<InvoiceLineItem>;
  metadata: Metadata;
  next_payment_attempt: number | null;
  number: string | null;
  parent: {
    type: "subscription_details";
    quote_details: null;
    subscription_details: { metadata: Metadata; subscription: string };
  };
  payments: ListObject<InvoicePayment>;
  /**
   * As at Stripe, the invoice's own period is the one that just ended (both equal `created`
   * for the first invoice); the period the invoice pays for is on `lines.data[].period`.
   */
  period_end: number;
  period_start: number;
  starting_balance: number;
  status: InvoiceStatus;
  status_transitions: {
    finalized_at: number | null;
    marked_uncollectible_at: number | null;
    paid_at: number | null;
    voided_at: number | null;
  };
  subtotal: number;
  total: number;
}

export interface BillingPortalSession extends StripeObjectBase {
  object: "billing_portal.session";
  configuration: string;
  customer: string;
  customer_account: null;
  flow: {
    type: "payment_method_update";
    after_completion: { type: "portal_homepage"; hosted_confirmation: null; redirect: null };
    customer_update: null;
    subscription_cancel: null;
    subscription_pause: null;
    subscription_update: null;
    subscription_update_confirm: null;
  } | null;
  locale: string | null;
  on_behalf_of: null;
  return_url: string | null;
  url: string;
}

/** What the server keeps about a subscription besides the serialised object. */
export interface SubscriptionExtras {
  /** Proration lines waiting for the next renewal invoice (proration_behavior=create_prorations). */
  pendingProrations: PendingProration[];
}

export interface PendingProration {
  description: string;
  amount: number;
  price: string;
  quantity: number;
  period: { start: number; end: number };
}

/**
 * Compile-time guard: every field served exists on stripe-node's type of the same object for
 * its API version, so a field Stripe moved or removed (such as the subscription's old
 * `current_period_end`) cannot creep back in.
 */
type UnknownFields<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs>;
type NoUnknownFields<Ours, Theirs> = [UnknownFields<Ours, Theirs>] extends [never] ? true : UnknownFields<Ours, Theirs>;
export const FIELDS_MATCH_STRIPE_NODE: [
  NoUnknownFields<Product, Stripe.Product>,
  NoUnknownFields<Price, Stripe.Price>,
  NoUnknownFields<Plan, Stripe.Plan>,
  NoUnknownFields<SubscriptionItem, Stripe.SubscriptionItem>,
  NoUnknownFields<Subscription, Stripe.Subscription>,
  NoUnknownFields<Invoice, Stripe.Invoice>,
  NoUnknownFields<InvoiceLineItem, Stripe.InvoiceLineItem>,
  NoUnknownFields<InvoicePayment, Stripe.InvoicePayment>,
  NoUnknownFields<BillingPortalSession, Stripe.BillingPortal.Session>,
  NoUnknownFields<Invoice["parent"], Stripe.Invoice.Parent>,
  NoUnknownFields<InvoiceLineItem["parent"], Stripe.InvoiceLineItem.Parent>,
  NoUnknownFields<CheckoutSession, Stripe.Checkout.Session>,
] = [true, true, true, true, true, true, true, true, true, true, true, true];
