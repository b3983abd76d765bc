import type { Invoice, Subscription } from "../billing-types";
import { Params } from "../form-encoding";
import { NO_REQUEST, type StripeState } from "../state";
import type { CheckoutSession } from "../types";
import { createCustomer } from "./customers";
import { attachPaymentMethod, createCardPaymentMethod } from "./payment-methods";
import { startSubscription } from "./subscription-start";

export interface SubscriptionCheckoutResult {
  outcome: "subscribed";
  session: CheckoutSession;
  subscription: Subscription;
  invoice: Invoice | null;
  /** success_url with `{CHECKOUT_SESSION_ID}` filled in. */
  redirectUrl: string | null;
}

/**
 * Pay on a subscription-mode session (the card is known not to be declined): Checkout always
 * has a customer here, keeps the card on it as the subscription's default payment method, starts
 * the subscription with its paid first invoice, and only then completes the session, so
 * `checkout.session.completed` comes last and names the subscription and the invoice.
 */
export function paySubscriptionCheckout(
  state: StripeState,
  session: CheckoutSession,
  cardNumber: string,
  options: { name?: string },
): SubscriptionCheckoutResult {
  const wanted = state.store.checkoutExtras.get(session.id)?.subscription;
  if (!wanted) throw new Error(`${session.id} has no subscription to start`);
  if (!session.customer) {
    const params = new Params(session.customer_email ? { email: session.customer_email } : {});
    session.customer = createCustomer(state, params).id;
  }
  const customer = state.store.get("customers", session.customer);
  const email = customer.email ?? session.customer_email;
  const name = options.name ?? customer.name ?? null;
  const paymentMethod = createCardPaymentMethod(state, cardNumber, { email, name });
  attachPaymentMethod(state, paymentMethod, customer.id);
  const subscription = startSubscription(
    state,
    {
      customer: customer.id,
      price: state.store.get("prices", wanted.price),
      quantity: wanted.quantity,
      metadata: wanted.metadata,
      trialPeriodDays: wanted.trialPeriodDays,
      paymentMethod,
      outcome: "paid",
      attemptPayment: true,
    },
    NO_REQUEST,
  );
  session.subscription = subscription.id;
  session.invoice = subscription.latest_invoice;
  session.customer_details = { email, name };
  session.status = "complete";
  session.payment_status = session.amount_total === 0 ? "no_payment_required" : "paid";
  session.url = null;
  state.emit("checkout.session.completed", session, NO_REQUEST);
  return {
    outcome: "subscribed",
    session,
    subscription,
    invoice: session.invoice ? state.store.get("invoices", session.invoice) : null,
    redirectUrl: session.success_url?.replace(/\{CHECKOUT_SESSION_ID\}/g, session.id) ?? null,
  };
}
