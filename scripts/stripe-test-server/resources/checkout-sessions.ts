import { invalidRequest, resourceMissing } from "../errors";
import { mergeMetadata, type Params } from "../form-encoding";
import type { Route } from "../router";
import { priceName, recurringPrice } from "./products-prices";
import { listRoute } from "./standard-routes";
import type { StripeState } from "../state";
import { expand, newId, nowSeconds } from "../store";
import type { CheckoutSession, CheckoutSessionExtras } from "../types";

const DAY_SECONDS = 24 * 60 * 60;

function createCheckoutSession(state: StripeState, params: Params): CheckoutSession {
  const mode = params.requiredString("mode");
  if (mode !== "payment" && mode !== "subscription") {
    throw invalidRequest(`This test server supports mode=payment and mode=subscription, not ${mode}.`, "mode");
  }
  const customer = params.nullableString("customer") ?? null;
  if (customer) state.store.get("customers", customer);
  const subscription = mode === "subscription" ? subscriptionLineItem(state, params) : undefined;
  const lineItems = subscription
    ? [subscription.lineItem]
    : params.objects("line_items").map((item) => {
        const priceData = item.object("price_data");
        if (!priceData) {
          if (item.has("price")) throw resourceMissing("price", item.string("price") ?? "", "line_items[0][price]");
          throw invalidRequest("Missing required param: line_items[0][price_data].", "line_items", "parameter_missing");
        }
        const unitAmount = priceData.requiredInteger("unit_amount");
        const quantity = item.integer("quantity") ?? 1;
        if (unitAmount < 0 || quantity < 1) throw invalidRequest("Invalid amount or quantity.", "line_items");
        return {
          name: priceData.object("product_data")?.requiredString("name") ?? "Item",
          unitAmount,
          quantity,
          currency: priceData.requiredString("currency").toLowerCase(),
        };
      });
  const first = lineItems[0];
  if (!first) throw invalidRequest("Missing required param: line_items.", "line_items", "parameter_missing");
  if (lineItems.some((item) => item.currency !== first.currency)) {
    throw invalidRequest("All line items must use the same currency.", "line_items");
  }
  // A trial's first invoice is 0, and so is what Checkout shows as due today.
  const amount = subscription?.extras.trialPeriodDays
    ? 0
    : lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
  const created = nowSeconds();
  const expiresAt = params.integer("expires_at") ?? created + DAY_SECONDS;
  if (expiresAt < created + 30 * 60 || expiresAt > created + DAY_SECONDS) {
    throw invalidRequest("The `expires_at` timestamp must be between 30 minutes and 24 hours from now.", "expires_at");
  }
  const paymentIntentData = params.object("payment_intent_data");
  const setupFutureUsage = paymentIntentData?.string("setup_future_usage");
  const id = newId("cs_test_", 58);
  const session: CheckoutSession = {
    id,
    object: "checkout.session",
    created,
    livemode: false,
    mode,
    status: "open",
    payment_status: "unpaid",
    amount_subtotal: amount,
    amount_total: amount,
    currency: first.currency,
    customer,
    customer_email: params.nullableString("customer_email") ?? null,
    customer_details: null,
    client_reference_id: params.nullableString("client_reference_id") ?? null,
    metadata: mergeMetadata({}, params.metadata()),
    payment_intent: null,
    payment_method_types:
      params.strings("payment_method_types").length > 0 ? params.strings("payment_method_types") : ["card"],
    subscription: null,
    invoice: null,
    success_url: params.nullableString("success_url") ?? null,
    cancel_url: params.nullableString("cancel_url") ?? null,
    expires_at: expiresAt,
    url: `${state.baseUrl}/checkout/${id}`,
  };
  const extras: CheckoutSessionExtras = {
    lineItems,
    paymentIntentData: {
      metadata: mergeMetadata({}, paymentIntentData?.metadata()),
      setupFutureUsage:
        setupFutureUsage === "off_session" || setupFutureUsage === "on_session" ? setupFutureUsage : null,
      description: paymentIntentData?.nullableString("description") ?? null,
    },
    ...(subscription ? { subscription: subscription.extras } : {}),
  };
  state.store.checkoutSessions.set(id, session);
  state.store.checkoutExtras.set(id, extras);
  return session;
}

/** Subscription mode: one line item naming an active recurring price, plus `subscription_data`. */
function subscriptionLineItem(state: StripeState, params: Params) {
  const items = params.objects("line_items");
  const first = items[0];
  if (!first) throw invalidRequest("Missing required param: line_items.", "line_items", "parameter_missing");
  if (items.length > 1) throw invalidRequest("This test server supports one line item per subscription.", "line_items");
  if (first.has("price_data")) {
    throw invalidRequest(
      "This test server needs line_items[0][price] (a price id) in subscription mode.",
      "line_items",
    );
  }
  const price = recurringPrice(state, first.requiredString("price"), "line_items[0][price]");
  const quantity = first.integer("quantity") ?? 1;
  if (quantity < 1) throw invalidRequest("Invalid quantity.", "line_items[0][quantity]");
  const subscriptionData = params.object("subscription_data");
  const trialPeriodDays = subscriptionData?.integer("trial_period_days") ?? null;
  if (trialPeriodDays !== null && trialPeriodDays < 1) {
    throw invalidRequest("Invalid trial_period_days.", "subscription_data[trial_period_days]");
  }
  return {
    lineItem: { name: priceName(state, price), unitAmount: price.unit_amount, quantity, currency: price.currency },
    extras: {
      price: price.id,
      quantity,
      metadata: mergeMetadata({}, subscriptionData?.metadata()),
      trialPeriodDays,
    },
  };
}

/** An open session past its `expires_at` expires when next looked at, as Stripe does within the hour. */
export function currentCheckoutSession(state: StripeState, id: string): CheckoutSession {
  const session = state.store.get("checkoutSessions", id);
  if (session.status === "open" && session.expires_at <= nowSeconds()) {
    expireCheckoutSession(state, session, { id: null, idempotency_key: null });
  }
  return session;
}

function expireCheckoutSession(
  state: StripeState,
  session: CheckoutSession,
  request: { id: string | null; idempotency_key: string | null },
): CheckoutSession {
  if (session.status !== "open") {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
      undefined,
      "checkout_session_unexpected_state",
    );
  }
  session.status = "expired";
  session.url = null;
  state.emit("checkout.session.expired", session, request);
  return session;
}

export const checkoutSessionRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/checkout/sessions",
    handler: (state, req) =>
      expand(state.store, createCheckoutSession(state, req.params), req.params.strings("expand")),
  },
  listRoute("/v1/checkout/sessions", "checkoutSessions", ["payment_intent", "customer", "status", "subscription"]),
  {
    method: "GET",
    pattern: "/v1/checkout/sessions/:id",
    handler: (state, req) =>
      expand(state.store, currentCheckoutSession(state, req.path.id ?? ""), req.params.strings("expand")),
  },
  {
    method: "POST",
    pattern: "/v1/checkout/sessions/:id/expire",
    handler: (state, req) =>
      expireCheckoutSession(state, state.store.get("checkoutSessions", req.path.id ?? ""), req.request),
  },
];
