import type { Subscription } from "../billing-types";
import { invalidRequest, StripeApiError } from "../errors";
import { mergeMetadata, type Params } from "../form-encoding";
import type { Route } from "../router";
import type { RequestInfo, StripeState } from "../state";
import { expand, nowSeconds, paginate } from "../store";
import { offSessionOutcome } from "./invoices";
import { recurringPrice } from "./products-prices";
import { retrieveRoute } from "./standard-routes";
import { changePlan } from "./subscription-changes";
import { startSubscription, subscriptionItem } from "./subscription-start";

export function customerPaymentMethod(state: StripeState, customerId: string, id: string | undefined | null) {
  const customer = state.store.get("customers", customerId);
  const paymentMethodId = id ?? customer.invoice_settings.default_payment_method;
  if (!paymentMethodId) return null;
  const paymentMethod = state.store.get("paymentMethods", paymentMethodId);
  if (paymentMethod.customer !== customerId) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${paymentMethodId}. The payment method must be attached to the customer.`,
      "default_payment_method",
      "resource_missing",
    );
  }
  return paymentMethod;
}

function createSubscription(state: StripeState, params: Params, request: RequestInfo): Subscription {
  const customer = params.requiredString("customer");
  state.store.get("customers", customer);
  const items = params.objects("items");
  const first = items[0];
  if (!first) throw invalidRequest("Missing required param: items.", "items", "parameter_missing");
  if (items.length > 1) throw invalidRequest("This test server supports one subscription item.", "items");
  const price = recurringPrice(state, first.requiredString("price"), "items[0][price]");
  const quantity = first.integer("quantity") ?? 1;
  if (quantity < 1) throw invalidRequest("Invalid quantity.", "items[0][quantity]");
  const trialPeriodDays = params.integer("trial_period_days") ?? null;
  const paymentMethod = customerPaymentMethod(state, customer, params.string("default_payment_method"));
  const behaviour = params.string("payment_behavior") ?? "allow_incomplete";
  const needsPayment = trialPeriodDays === null && price.unit_amount > 0;
  if (needsPayment && !paymentMethod && behaviour !== "default_incomplete") {
    throw invalidRequest(
      "This customer has no attached payment source or default payment method. Please consider adding a default payment method.",
      undefined,
      "resource_missing",
    );
  }
  const outcome = offSessionOutcome(state, paymentMethod);
  if (needsPayment && outcome === "failed" && behaviour === "error_if_incomplete") {
    throw new StripeApiError(402, {
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
    });
  }
  return startSubscription(
    state,
    {
      customer,
      price,
      quantity,
      metadata: mergeMetadata({}, params.metadata()),
      trialPeriodDays,
      paymentMethod,
      outcome,
      attemptPayment: behaviour !== "default_incomplete",
    },
    request,
  );
}

const ENDED = new Set(["canceled", "incomplete_expired"]);

function updateSubscription(state: StripeState, subscription: Subscription, params: Params, request: RequestInfo) {
  const previous: Record<string, unknown> = {};
  const onlyMetadata = Object.keys(params.raw).every((key) => key === "metadata" || key === "expand");
  if (ENDED.has(subscription.status) && !onlyMetadata) {
    throw invalidRequest(
      `You cannot update a subscription that is \`canceled\` or \`incomplete_expired\`.`,
      undefined,
      "invalid_canceled_subscription_fields",
    );
  }
  if (params.has("metadata")) {
    previous.metadata = { ...subscription.metadata };
    subscription.metadata = mergeMetadata(subscription.metadata, params.metadata());
  }
  const cancelAtPeriodEnd = params.boolean("cancel_at_period_end");
  if (cancelAtPeriodEnd !== undefined) Object.assign(previous, setCancelAtPeriodEnd(subscription, cancelAtPeriodEnd));
  const defaultPaymentMethod = params.nullableString("default_payment_method");
  if (defaultPaymentMethod !== undefined) {
    previous.default_payment_method = subscription.default_payment_method;
    subscription.default_payment_method =
      defaultPaymentMethod === null
        ? null
        : (customerPaymentMethod(state, subscription.customer, defaultPaymentMethod)?.id ?? null);
  }
  const change = planChangeOf(state, subscription, params);
  const applyChange = change ? changePlan(state, subscription, change, previous) : undefined;
  if (Object.keys(previous).length > 0) state.emit("customer.subscription.updated", subscription, request, previous);
  applyChange?.(request);
  return subscription;
}

/** Sets or clears cancel at period end; answers the old values when they changed (for `previous_attributes`). */
export function setCancelAtPeriodEnd(subscription: Subscription, cancel: boolean): Record<string, unknown> | undefined {
  if (subscription.cancel_at_period_end === cancel) return undefined;
  const previous = {
    cancel_at_period_end: subscription.cancel_at_period_end,
    cancel_at: subscription.cancel_at,
    canceled_at: subscription.canceled_at,
    cancellation_details: { ...subscription.cancellation_details },
  };
  const item = subscriptionItem(subscription);
  subscription.cancel_at_period_end = cancel;
  subscription.cancel_at = cancel ? item.current_period_end : null;
  subscription.canceled_at = cancel ? nowSeconds() : null;
  subscription.cancellation_details = {
    comment: null,
    feedback: null,
    reason: cancel ? "cancellation_requested" : null,
  };
  return previous;
}

function planChangeOf(state: StripeState, subscription: Subscription, params: Params) {
  const items = params.objects("items");
  const first = items[0];
  if (!first) return undefined;
  if (items.length > 1) throw invalidRequest("This test server supports one subscription item.", "items");
  const item = subscriptionItem(subscription);
  const itemId = first.string("id");
  if (itemId !== undefined && itemId !== item.id) {
    throw invalidRequest(`No such subscription item: '${itemId}'`, "items[0][id]", "resource_missing");
  }
  if (itemId === undefined) {
    throw invalidRequest(
      "This test server replaces the one item only: pass items[0][id] with the new price.",
      "items[0][id]",
    );
  }
  const priceId = first.string("price");
  const price = priceId ? recurringPrice(state, priceId, "items[0][price]") : item.price;
  const quantity = first.integer("quantity") ?? item.quantity;
  if (quantity < 1) throw invalidRequest("Invalid quantity.", "items[0][quantity]");
  const behaviour = params.string("proration_behavior") ?? "create_prorations";
  if (behaviour !== "create_prorations" && behaviour !== "always_invoice" && behaviour !== "none") {
    throw invalidRequest(`Invalid proration_behavior: ${behaviour}`, "proration_behavior");
  }
  if (price.id === item.price.id && quantity === item.quantity) return undefined;
  return { price, quantity, prorationBehavior: behaviour as "create_prorations" | "always_invoice" | "none" };
}

/** Ends the subscription now (`DELETE`, a final failed payment): `customer.subscription.deleted`. */
export function endSubscription(
  state: StripeState,
  subscription: Subscription,
  reason: "cancellation_requested" | "payment_failed",
  request: RequestInfo,
  endedAt = nowSeconds(),
): void {
  subscription.status = "canceled";
  subscription.ended_at = endedAt;
  subscription.canceled_at = subscription.canceled_at ?? nowSeconds();
  subscription.cancel_at_period_end = false;
  subscription.cancellation_details = { comment: null, feedback: null, reason };
  for (const invoice of state.store.invoices.values()) {
    if (invoice.parent.subscription_details.subscription === subscription.id && invoice.status === "open") {
      invoice.next_payment_attempt = null;
    }
  }
  state.emit("customer.subscription.deleted", subscription, request);
}

export const subscriptionRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/subscriptions",
    handler: (state, req) =>
      expand(state.store, createSubscription(state, req.params, req.request), req.params.strings("expand")),
  },
  {
    method: "GET",
    pattern: "/v1/subscriptions",
    handler: (state, req) => {
      const { params } = req;
      const customer = params.string("customer");
      const price = params.string("price");
      const status = params.string("status");
      const subscriptions = [...state.store.subscriptions.values()].filter(
        (subscription) =>
          (customer === undefined || subscription.customer === customer) &&
          (price === undefined || subscriptionItem(subscription).price.id === price) &&
          (status === undefined
            ? !ENDED.has(subscription.status)
            : status === "all" ||
              (status === "ended" ? ENDED.has(subscription.status) : subscription.status === status)),
      );
      return expand(state.store, paginate(subscriptions, params, "/v1/subscriptions"), params.strings("expand"));
    },
  },
  retrieveRoute("/v1/subscriptions", "subscriptions"),
  {
    method: "POST",
    pattern: "/v1/subscriptions/:id",
    handler: (state, req) => {
      const subscription = state.store.get("subscriptions", req.path.id ?? "");
      return expand(
        state.store,
        updateSubscription(state, subscription, req.params, req.request),
        req.params.strings("expand"),
      );
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/subscriptions/:id",
    handler: (state, req) => {
      const subscription = state.store.get("subscriptions", req.path.id ?? "");
      if (ENDED.has(subscription.status)) {
        throw invalidRequest(
          `A canceled subscription can't be canceled again: ${subscription.id}.`,
          undefined,
          "resource_missing",
        );
      }
      endSubscription(state, subscription, "cancellation_requested", req.request);
      return expand(state.store, subscription, req.params.strings("expand"));
    },
  },
];
