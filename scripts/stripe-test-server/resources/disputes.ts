import { invalidRequest } from "../errors";
import type { Route } from "../router";
import { listRoute, retrieveRoute } from "./standard-routes";
import { NO_REQUEST, type RequestInfo, type StripeState } from "../state";
import { newId, nowSeconds } from "../store";
import type { Dispute } from "../types";

/**
 * Disputes as Stripe's dispute test cards play them out: opening withdraws the funds at once
 * (`charge.dispute.created`, `charge.dispute.funds_withdrawn`); a win reinstates them
 * (`funds_reinstated`, then `closed` with status won); a loss only closes (status lost).
 */
export function openDispute(
  state: StripeState,
  chargeId: string,
  options: { amount?: number; reason?: string } = {},
  request: RequestInfo = NO_REQUEST,
): Dispute {
  const charge = state.store.get("charges", chargeId);
  if (charge.status !== "succeeded") throw invalidRequest(`Charge ${charge.id} has not succeeded.`, "charge");
  if ([...state.store.disputes.values()].some((dispute) => dispute.charge === charge.id)) {
    throw invalidRequest(`Charge ${charge.id} has already been disputed.`, "charge", "charge_disputed");
  }
  const amount = options.amount ?? charge.amount;
  if (amount < 1 || amount > charge.amount) throw invalidRequest("Invalid dispute amount.", "amount");
  const dispute: Dispute = {
    id: newId("dp_"),
    object: "dispute",
    created: nowSeconds(),
    livemode: false,
    amount,
    balance_transactions: [],
    charge: charge.id,
    currency: charge.currency,
    evidence: {},
    is_charge_refundable: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: options.reason ?? "fraudulent",
    status: "needs_response",
  };
  state.store.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  state.emit("charge.dispute.created", dispute, request);
  dispute.balance_transactions.push(balanceTransaction(-amount, dispute.currency));
  state.emit("charge.dispute.funds_withdrawn", dispute, request);
  return dispute;
}

export function winDispute(state: StripeState, disputeId: string, request: RequestInfo = NO_REQUEST): Dispute {
  const dispute = openDisputeById(state, disputeId);
  dispute.status = "won";
  dispute.balance_transactions.push(balanceTransaction(dispute.amount, dispute.currency));
  state.emit("charge.dispute.funds_reinstated", dispute, request);
  state.emit("charge.dispute.closed", dispute, request);
  return dispute;
}

export function loseDispute(state: StripeState, disputeId: string, request: RequestInfo = NO_REQUEST): Dispute {
  const dispute = openDisputeById(state, disputeId);
  dispute.status = "lost";
  state.emit("charge.dispute.closed", dispute, request);
  return dispute;
}

function openDisputeById(state: StripeState, disputeId: string): Dispute {
  const dispute = state.store.get("disputes", disputeId);
  if (dispute.status === "won" || dispute.status === "lost") {
    throw invalidRequest(
      `This dispute is already closed (status ${dispute.status}).`,
      undefined,
      "dispute_already_closed",
    );
  }
  return dispute;
}

function balanceTransaction(amount: number, currency: string): Dispute["balance_transactions"][number] {
  return { id: newId("txn_"), object: "balance_transaction", amount, currency, type: "adjustment" };
}

export const disputeRoutes: Route[] = [
  listRoute("/v1/disputes", "disputes", ["charge", "payment_intent"]),
  retrieveRoute("/v1/disputes", "disputes"),
  {
    // Closing a dispute through the API accepts it: the merchant loses.
    method: "POST",
    pattern: "/v1/disputes/:id/close",
    handler: (state, req) => loseDispute(state, req.path.id ?? "", req.request),
  },
];
