import type { Route } from "../router";
import type { StripeState } from "../state";
import { expand, newId, nowSeconds, paginate } from "../store";
import type { Charge, PaymentIntent, PaymentMethod } from "../types";

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
  {
    method: "GET",
    pattern: "/v1/charges",
    handler: (state, req) => {
      const paymentIntent = req.params.string("payment_intent");
      const customer = req.params.string("customer");
      const charges = [...state.store.charges.values()].filter(
        (charge) =>
          (paymentIntent === undefined || charge.payment_intent === paymentIntent) &&
          (customer === undefined || charge.customer === customer),
      );
      return expand(state.store, paginate(charges, req.params, "/v1/charges"), req.params.strings("expand"));
    },
  },
  {
    method: "GET",
    pattern: "/v1/charges/:id",
    handler: (state, req) =>
      expand(state.store, state.store.get("charges", req.path.id ?? ""), req.params.strings("expand")),
  },
];
