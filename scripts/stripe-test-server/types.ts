import type { BillingPortalSession, Invoice, Price, Product, Subscription } from "./billing-types";

/**
 * The resources as Stripe serialises them (API version of the bundled stripe-node), limited to
 * the fields the product reads plus the ones every Stripe object has. Amounts are integers in
 * the currency's minor unit, as at Stripe.
 */
export type Metadata = Record<string, string>;

interface StripeObjectBase {
  id: string;
  created: number;
  livemode: false;
}

export interface Customer extends StripeObjectBase {
  object: "customer";
  name: string | null;
  email: string | null;
  description: string | null;
  metadata: Metadata;
  balance: number;
  currency: string | null;
  delinquent: boolean;
  invoice_settings: {
    default_payment_method: string | null;
    custom_fields: null;
    footer: null;
    rendering_options: null;
  };
}

export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: "credit";
  country: string;
}

export interface PaymentMethod extends StripeObjectBase {
  object: "payment_method";
  type: "card";
  customer: string | null;
  metadata: Metadata;
  billing_details: { email: string | null; name: string | null; phone: null; address: null };
  card: CardDetails;
}

export type CheckoutSessionStatus = "open" | "complete" | "expired";

export interface CheckoutSession extends StripeObjectBase {
  object: "checkout.session";
  mode: "payment" | "subscription";
  status: CheckoutSessionStatus;
  payment_status: "unpaid" | "paid" | "no_payment_required";
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  customer: string | null;
  customer_email: string | null;
  customer_details: { email: string | null; name: string | null } | null;
  client_reference_id: string | null;
  metadata: Metadata;
  payment_intent: string | null;
  payment_method_types: string[];
  /** Subscription mode: set when the session completes. */
  subscription: string | null;
  invoice: string | null;
  success_url: string | null;
  cancel_url: string | null;
  expires_at: number;
  url: string | null;
}

/** What Checkout keeps about the session besides the serialised object. */
export interface CheckoutSessionExtras {
  lineItems: { name: string; unitAmount: number; quantity: number; currency: string }[];
  paymentIntentData: {
    metadata: Metadata;
    setupFutureUsage: "off_session" | "on_session" | null;
    description: string | null;
  };
  /** Subscription mode: the recurring price bought and what the subscription is made with. */
  subscription?: { price: string; quantity: number; metadata: Metadata; trialPeriodDays: number | null };
}

export type PaymentIntentStatus =
  "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "succeeded" | "canceled";

export interface PaymentIntent extends StripeObjectBase {
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Metadata;
  payment_method: string | null;
  payment_method_types: string[];
  setup_future_usage: "off_session" | "on_session" | null;
  status: PaymentIntentStatus;
  latest_charge: string | null;
  last_payment_error: LastPaymentError | null;
  client_secret: string;
  confirmation_method: "automatic";
  capture_method: "automatic";
  canceled_at: number | null;
  cancellation_reason: string | null;
}

export interface LastPaymentError {
  type: "card_error";
  code: string;
  decline_code?: string;
  message: string;
  charge?: string;
  payment_method?: PaymentMethod;
}

export interface Charge extends StripeObjectBase {
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: string | null;
  billing_details: PaymentMethod["billing_details"];
  captured: boolean;
  currency: string;
  customer: string | null;
  description: string | null;
  disputed: boolean;
  failure_code: string | null;
  failure_message: string | null;
  metadata: Metadata;
  paid: boolean;
  payment_intent: string | null;
  payment_method: string | null;
  payment_method_details: { type: "card"; card: CardDetails };
  receipt_url: string;
  refunded: boolean;
  status: "succeeded" | "pending" | "failed";
}

export interface Refund extends StripeObjectBase {
  object: "refund";
  amount: number;
  balance_transaction: string;
  charge: string;
  currency: string;
  metadata: Metadata;
  payment_intent: string | null;
  reason: string | null;
  status: "succeeded";
}

export type DisputeStatus = "needs_response" | "under_review" | "won" | "lost";

export interface Dispute extends StripeObjectBase {
  object: "dispute";
  amount: number;
  balance_transactions: {
    id: string;
    object: "balance_transaction";
    amount: number;
    currency: string;
    type: "adjustment";
  }[];
  charge: string;
  currency: string;
  evidence: Record<string, never>;
  is_charge_refundable: boolean;
  metadata: Metadata;
  payment_intent: string | null;
  reason: string;
  status: DisputeStatus;
}

export interface StripeEvent extends StripeObjectBase {
  object: "event";
  type: string;
  api_version: string;
  /** `previous_attributes`: the changed fields' old values, on `*.updated` events. */
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
}

export type StripeResource =
  | Customer
  | PaymentMethod
  | CheckoutSession
  | PaymentIntent
  | Charge
  | Refund
  | Dispute
  | StripeEvent
  | Product
  | Price
  | Subscription
  | Invoice
  | BillingPortalSession;

export interface ListObject<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}
