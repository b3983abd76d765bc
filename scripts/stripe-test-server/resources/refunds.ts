import { invalidRequest } from "../errors";
import { mergeMetadata } from "../form-encoding";
import type { Route } from "../router";
import { listRoute, retrieveRoute } from "./standard-routes";
import { NO_REQUEST, type RequestInfo, type StripeState } from "../state";
import { expand, newId, nowSeconds } from "../store";
import type { Charge, Metadata, Refund } from "../types";

export interface RefundInput {
  paymentIntent?: string;
  charge?: string;
  /** Minor units; default what is left to refund. */
  amount?: number;
  reason?: string;
  metadata?: Metadata;
}

/**
 * Refunds a succeeded charge (named directly or through its PaymentIntent). The charge's
 * `amount_refunded` is cumulative, as the product must expect in `charge.refunded`.
 */
export function createRefund(state: StripeState, input: RefundInput, request: RequestInfo = NO_REQUEST): Refund {
  const charge = refundableCharge(state, input);
  const left = charge.amount - charge.amount_refunded;
  if (left <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
  }
  const amount = input.amount ?? left;
  if (amount < 1) throw invalidRequest("This value must be greater than or equal to 1.", "amount");
  if (amount > left) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
      "amount",
      "amount_too_large",
    );
  }
  const refund: Refund = {
    id: newId("re_"),
    object: "refund",
    created: nowSeconds(),
    livemode: false,
    amount,
    balance_transaction: newId("txn_"),
    charge: charge.id,
    currency: charge.currency,
    metadata: input.metadata ?? {},
    payment_intent: charge.payment_intent,
    reason: input.reason ?? null,
    status: "succeeded",
  };
  state.store.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  state.emit("charge.refunded", charge, request);
  state.emit("refund.created", refund, request);
  return refund;
}

function refundableCharge(state: StripeState, input: RefundInput): Charge {
  let chargeId = input.charge;
  if (!chargeId && input.paymentIntent) {
    const paymentIntent = state.store.get("paymentIntents", input.paymentIntent);
    if (paymentIntent.status !== "succeeded" || !paymentIntent.latest_charge) {
      throw invalidRequest(
        `This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`,
        "payment_intent",
        "charge_not_refundable",
      );
    }
    chargeId = paymentIntent.latest_charge;
  }
  if (!chargeId)
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.");
  const charge = state.store.get("charges", chargeId);
  if (charge.status !== "succeeded") {
    throw invalidRequest(
      `Charge ${charge.id} cannot be refunded: it has not succeeded.`,
      "charge",
      "charge_not_refundable",
    );
  }
  // A charged-back payment cannot be refunded as well, unless the merchant won the dispute.
  const dispute = [...state.store.disputes.values()].find((d) => d.charge === charge.id && d.status !== "won");
  if (dispute) {
    throw invalidRequest(
      `Charge ${charge.id} has been charged back; cannot issue a refund.`,
      "charge",
      "charge_disputed",
    );
  }
  return charge;
}

export const refundRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/refunds",
    handler: (state, req) => {
      const { params } = req;
      const refund = createRefund(
        state,
        {
          paymentIntent: params.string("payment_intent"),
          charge: params.string("charge"),
          amount: params.integer("amount"),
          reason: params.string("reason"),
          metadata: mergeMetadata({}, params.metadata()),
        },
        req.request,
      );
      return expand(state.store, refund, params.strings("expand"));
    },
  },
  listRoute("/v1/refunds", "refunds", ["charge", "payment_intent"]),
  retrieveRoute("/v1/refunds", "refunds"),
];
