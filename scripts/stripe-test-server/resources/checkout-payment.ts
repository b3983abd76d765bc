import { cardBehaviour, isPlausibleCardNumber, normaliseCardNumber, TEST_CARDS } from "../cards";
import { invalidRequest } from "../errors";
import { NO_REQUEST, type StripeState } from "../state";
import type { CheckoutSession, PaymentIntent } from "../types";
import { currentCheckoutSession } from "./checkout-sessions";
import { createCustomer } from "./customers";
import { Params } from "../form-encoding";
import { attachPaymentMethod, createCardPaymentMethod } from "./payment-methods";
import { paySubscriptionCheckout, type SubscriptionCheckoutResult } from "./checkout-subscription";
import { newPaymentIntent, recordFailedCharge, succeedPaymentIntent } from "./payment-intents";

export interface PayCheckoutOptions {
  /** Card number, spaces allowed; default 4242 4242 4242 4242. */
  card?: string;
  /** Overrides the session's `payment_intent_data.setup_future_usage` (saved when it is set). */
  saveCard?: boolean;
  name?: string;
}

export type CheckoutPaymentResult =
  | {
      outcome: "paid" | "processing";
      session: CheckoutSession;
      paymentIntent: PaymentIntent;
      /** success_url with `{CHECKOUT_SESSION_ID}` filled in. */
      redirectUrl: string | null;
    }
  | SubscriptionCheckoutResult
  | { outcome: "declined"; session: CheckoutSession; message: string };

/**
 * What the hosted page's Pay button does. A declined card leaves the session open and books
 * nothing; an `async` card completes the session unpaid until settleAsyncPayment(). In
 * subscription mode a good card starts the subscription (outcome "subscribed").
 */
export function payCheckoutSession(
  state: StripeState,
  id: string,
  options: PayCheckoutOptions = {},
): CheckoutPaymentResult {
  const session = currentCheckoutSession(state, id);
  if (session.status !== "open") {
    throw invalidRequest(
      `This Checkout Session is no longer open (status ${session.status}).`,
      undefined,
      "checkout_session_unexpected_state",
    );
  }
  const number = normaliseCardNumber(options.card ?? TEST_CARDS.visa);
  if (!isPlausibleCardNumber(number)) return { outcome: "declined", session, message: "Your card number is invalid." };
  const behaviour = cardBehaviour(number);
  if (behaviour === "declined") return { outcome: "declined", session, message: "Your card was declined." };
  // Delayed payment methods are not played out for subscriptions: the card pays at once.
  if (session.mode === "subscription") return paySubscriptionCheckout(state, session, number, options);

  const extras = state.store.checkoutExtras.get(session.id);
  const requestedUsage = extras?.paymentIntentData.setupFutureUsage ?? null;
  const saveCard = options.saveCard ?? requestedUsage !== null;
  if (saveCard && !session.customer) {
    // Checkout makes a customer when a card is to be kept and none was given.
    const params = new Params(session.customer_email ? { email: session.customer_email } : {});
    session.customer = createCustomer(state, params).id;
  }
  const customer = session.customer ? state.store.customers.get(session.customer) : undefined;
  const email = customer?.email ?? session.customer_email;
  const name = options.name ?? customer?.name ?? null;

  const paymentIntent = newPaymentIntent({
    amount: session.amount_total,
    currency: session.currency,
    customer: session.customer,
    description: extras?.paymentIntentData.description ?? null,
    metadata: { ...(extras?.paymentIntentData.metadata ?? {}) },
    setup_future_usage: saveCard ? (requestedUsage ?? "off_session") : null,
  });
  const paymentMethod = createCardPaymentMethod(state, number, { email, name });
  paymentIntent.payment_method = paymentMethod.id;
  state.store.paymentIntents.set(paymentIntent.id, paymentIntent);
  session.payment_intent = paymentIntent.id;
  session.customer_details = { email, name };
  session.status = "complete";
  session.url = null;
  state.emit("payment_intent.created", paymentIntent, NO_REQUEST);
  if (saveCard && session.customer) attachPaymentMethod(state, paymentMethod, session.customer);

  if (behaviour === "async") {
    paymentIntent.status = "processing";
    state.emit("payment_intent.processing", paymentIntent, NO_REQUEST);
  } else {
    succeedPaymentIntent(state, paymentIntent, paymentMethod, NO_REQUEST);
    session.payment_status = "paid";
  }
  state.emit("checkout.session.completed", session, NO_REQUEST);
  return {
    outcome: behaviour === "async" ? "processing" : "paid",
    session,
    paymentIntent,
    redirectUrl: session.success_url?.replace(/\{CHECKOUT_SESSION_ID\}/g, session.id) ?? null,
  };
}

/** Settles a delayed payment: `checkout.session.async_payment_succeeded` or `_failed`, as Stripe sends them. */
export function settleAsyncPayment(
  state: StripeState,
  sessionId: string,
  outcome: "succeeded" | "failed",
): CheckoutSession {
  const session = state.store.get("checkoutSessions", sessionId);
  const paymentIntent = session.payment_intent ? state.store.paymentIntents.get(session.payment_intent) : undefined;
  if (session.status !== "complete" || session.payment_status !== "unpaid" || paymentIntent?.status !== "processing") {
    throw invalidRequest(
      `Checkout Session ${session.id} has no payment waiting to settle.`,
      undefined,
      "checkout_session_unexpected_state",
    );
  }
  const paymentMethod = state.store.get("paymentMethods", paymentIntent.payment_method ?? "");
  if (outcome === "succeeded") {
    succeedPaymentIntent(state, paymentIntent, paymentMethod, NO_REQUEST);
    session.payment_status = "paid";
    state.emit("checkout.session.async_payment_succeeded", session, NO_REQUEST);
    return session;
  }
  recordFailedCharge(
    state,
    paymentIntent,
    paymentMethod,
    { code: "payment_failed", message: "The payment failed." },
    NO_REQUEST,
  );
  state.emit("checkout.session.async_payment_failed", session, NO_REQUEST);
  return session;
}
