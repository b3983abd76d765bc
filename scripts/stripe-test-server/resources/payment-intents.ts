import { cardBehaviour } from "../cards";
import { invalidRequest, StripeApiError } from "../errors";
import { mergeMetadata } from "../form-encoding";
import type { Route } from "../router";
import { listRoute, retrieveRoute } from "./standard-routes";
import type { RequestInfo, StripeState } from "../state";
import { expand, newId, nowSeconds } from "../store";
import type { PaymentIntent, PaymentMethod } from "../types";
import { createCharge } from "./charges";
import { cardNumberOf, resolvePaymentMethod } from "./payment-methods";

export function newPaymentIntent(
  fields: Pick<PaymentIntent, "amount" | "currency" | "customer" | "description" | "metadata" | "setup_future_usage">,
): PaymentIntent {
  const id = newId("pi_");
  return {
    id,
    object: "payment_intent",
    created: nowSeconds(),
    livemode: false,
    ...fields,
    amount_received: 0,
    payment_method: null,
    payment_method_types: ["card"],
    status: "requires_payment_method",
    latest_charge: null,
    last_payment_error: null,
    client_secret: `${id}_secret_${newId("", 24)}`,
    confirmation_method: "automatic",
    capture_method: "automatic",
    canceled_at: null,
    cancellation_reason: null,
  };
}

/** The charge succeeded: book it on the intent and tell the endpoint, in Stripe's event order. */
export function succeedPaymentIntent(
  state: StripeState,
  paymentIntent: PaymentIntent,
  paymentMethod: PaymentMethod,
  request: RequestInfo,
): void {
  const charge = createCharge(state, paymentIntent, paymentMethod, { status: "succeeded" });
  paymentIntent.status = "succeeded";
  paymentIntent.amount_received = paymentIntent.amount;
  paymentIntent.latest_charge = charge.id;
  paymentIntent.last_payment_error = null;
  state.emit("charge.succeeded", charge, request);
  state.emit("payment_intent.succeeded", paymentIntent, request);
}

/**
 * A payment attempt that did not go through: a failed charge on the intent, which goes back to
 * `requires_payment_method` with `last_payment_error`; `charge.failed` and
 * `payment_intent.payment_failed`, in Stripe's order.
 */
export function recordFailedCharge(
  state: StripeState,
  paymentIntent: PaymentIntent,
  paymentMethod: PaymentMethod,
  failure: { code: string; decline_code?: string; message: string },
  request: RequestInfo,
): void {
  const charge = createCharge(state, paymentIntent, paymentMethod, { status: "failed", ...failure });
  paymentIntent.status = "requires_payment_method";
  paymentIntent.latest_charge = charge.id;
  paymentIntent.last_payment_error = { type: "card_error", ...failure, charge: charge.id };
  state.emit("charge.failed", charge, request);
  state.emit("payment_intent.payment_failed", paymentIntent, request);
}

/**
 * Confirms with the card's test behaviour. A failure leaves the intent in
 * `requires_payment_method` with `last_payment_error`, emits `payment_intent.payment_failed`
 * and throws the 402 card error Stripe answers (stripe-node turns it into StripeCardError).
 */
export function confirmPaymentIntent(
  state: StripeState,
  paymentIntent: PaymentIntent,
  paymentMethod: PaymentMethod,
  offSession: boolean,
  request: RequestInfo,
): void {
  paymentIntent.payment_method = paymentMethod.id;
  const behaviour = cardBehaviour(cardNumberOf(state, paymentMethod));
  if (behaviour === "declined") {
    const charge = createCharge(state, paymentIntent, paymentMethod, {
      status: "failed",
      code: "card_declined",
      message: "Your card was declined.",
    });
    paymentIntent.latest_charge = charge.id;
    state.emit("charge.failed", charge, request);
    failPaymentIntent(state, paymentIntent, paymentMethod, request, {
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
      charge: charge.id,
    });
  }
  if (behaviour === "authenticationRequiredOffSession" && offSession) {
    failPaymentIntent(state, paymentIntent, paymentMethod, request, {
      code: "authentication_required",
      decline_code: "authentication_required",
      message: "Your card was declined. This transaction requires authentication.",
    });
  }
  if (behaviour === "async") {
    paymentIntent.status = "processing";
    state.emit("payment_intent.processing", paymentIntent, request);
    return;
  }
  succeedPaymentIntent(state, paymentIntent, paymentMethod, request);
}

function failPaymentIntent(
  state: StripeState,
  paymentIntent: PaymentIntent,
  paymentMethod: PaymentMethod,
  request: RequestInfo,
  error: { code: string; decline_code: string; message: string; charge?: string },
): never {
  paymentIntent.status = "requires_payment_method";
  paymentIntent.last_payment_error = { type: "card_error", ...error, payment_method: structuredClone(paymentMethod) };
  state.emit("payment_intent.payment_failed", paymentIntent, request);
  throw new StripeApiError(402, {
    type: "card_error",
    ...error,
    doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, "-")}`,
    payment_intent: structuredClone(paymentIntent),
    payment_method: structuredClone(paymentMethod),
  });
}

export const paymentIntentRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/payment_intents",
    handler: (state, req) => {
      const { params } = req;
      const amount = params.requiredInteger("amount");
      if (amount < 1) throw invalidRequest("This value must be greater than or equal to 1.", "amount");
      const currency = params.requiredString("currency").toLowerCase();
      const customer = params.nullableString("customer") ?? null;
      if (customer) state.store.get("customers", customer);
      const offSessionRaw = params.string("off_session");
      const offSession = offSessionRaw !== undefined && offSessionRaw !== "false";
      const confirm = params.boolean("confirm") ?? false;
      if (offSession && !confirm) {
        throw invalidRequest("You may only specify `off_session` when `confirm=true`.", "off_session");
      }
      if (params.string("capture_method") === "manual") {
        throw invalidRequest("This test server supports capture_method=automatic only.", "capture_method");
      }
      const setupFutureUsage = params.string("setup_future_usage");
      const paymentIntent = newPaymentIntent({
        amount,
        currency,
        customer,
        description: params.nullableString("description") ?? null,
        metadata: mergeMetadata({}, params.metadata()),
        setup_future_usage:
          setupFutureUsage === "off_session" || setupFutureUsage === "on_session" ? setupFutureUsage : null,
      });
      const paymentMethodId = params.string("payment_method");
      const paymentMethod = paymentMethodId ? resolvePaymentMethod(state, paymentMethodId) : undefined;
      if (paymentMethod?.customer && customer && paymentMethod.customer !== customer) {
        throw invalidRequest(
          `The provided PaymentMethod belongs to a different Customer (${paymentMethod.customer}).`,
          "payment_method",
        );
      }
      if (paymentMethod) {
        paymentIntent.payment_method = paymentMethod.id;
        paymentIntent.status = "requires_confirmation";
      }
      state.store.paymentIntents.set(paymentIntent.id, paymentIntent);
      state.emit("payment_intent.created", paymentIntent, req.request);
      if (confirm) {
        if (!paymentMethod) {
          throw invalidRequest(
            "You cannot confirm this PaymentIntent because it's missing a payment method.",
            "payment_method",
            "payment_intent_unexpected_state",
          );
        }
        confirmPaymentIntent(state, paymentIntent, paymentMethod, offSession, req.request);
      }
      return expand(state.store, paymentIntent, params.strings("expand"));
    },
  },
  listRoute("/v1/payment_intents", "paymentIntents", ["customer"]),
  retrieveRoute("/v1/payment_intents", "paymentIntents"),
  {
    method: "POST",
    pattern: "/v1/payment_intents/:id/cancel",
    handler: (state, req) => {
      const paymentIntent = state.store.get("paymentIntents", req.path.id ?? "");
      if (
        paymentIntent.status === "succeeded" ||
        paymentIntent.status === "canceled" ||
        paymentIntent.status === "processing"
      ) {
        throw invalidRequest(
          `You cannot cancel this PaymentIntent because it has a status of ${paymentIntent.status}.`,
          undefined,
          "payment_intent_unexpected_state",
        );
      }
      paymentIntent.status = "canceled";
      paymentIntent.canceled_at = nowSeconds();
      paymentIntent.cancellation_reason = req.params.string("cancellation_reason") ?? null;
      state.emit("payment_intent.canceled", paymentIntent, req.request);
      return paymentIntent;
    },
  },
];
