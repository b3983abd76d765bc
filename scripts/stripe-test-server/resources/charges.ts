import type { Route } from "../router";
import type { StripeState } from "../state";
import { newId, nowSeconds } from "../store";
import type { Charge, PaymentIntent, PaymentMethod } from "../types";
import { listRoute, retrieveRoute } from "./standard-routes";

export function createCharge(
  state: StripeState,
  paymentIntent: PaymentIntent,
  paymentMethod: PaymentMethod,
  outcome: { status: "succeeded" } | { status: "failed"; code: string; message: string },
): Charge {
  const succeeded = outcome.status === "succeeded";
  const id = newId("ch_");
  const charge: Charge = {
    id,
    object: "charge",
    created: nowSeconds(),
    livemode: false,
    amount: paymentIntent.amount,
    amount_captured: succeeded ? paymentIntent.amount : 0,
    amount_refunded: 0,
    balance_transaction: succeeded ? newId("txn_") : null,
    billing_details: { ...paymentMethod.billing_details },
    captured: succeeded,
    currency: paymentIntent.currency,
    customer: paymentIntent.customer,
    description: paymentIntent.description,
    disputed: false,
    failure_code: succeeded ? null : outcome.code,
    failure_message: succeeded ? null : outcome.message,
    metadata: { ...paymentIntent.metadata },
    paid: succeeded,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethod.id,
    payment_method_details: { type: "card", card: { ...paymentMethod.card } },
    receipt_url: `${state.baseUrl}/receipts/${id}`,
    refunded: false,
    status: outcome.status,
  };
  state.store.charges.set(charge.id, charge);
  return charge;
}

export const chargeRoutes: Route[] = [
  listRoute("/v1/charges", "charges", ["payment_intent", "customer"]),
  retrieveRoute("/v1/charges", "charges"),
];
