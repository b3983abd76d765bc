import { cardDetails, TEST_PAYMENT_METHOD_TOKENS } from "../cards";
import { invalidRequest } from "../errors";
import type { Params } from "../form-encoding";
import type { Route } from "../router";
import { retrieveRoute } from "./standard-routes";
import { NO_REQUEST, type RequestInfo, type StripeState } from "../state";
import { expand, newId, nowSeconds, paginate } from "../store";
import type { PaymentMethod } from "../types";

export function createCardPaymentMethod(
  state: StripeState,
  cardNumber: string,
  billing: { email: string | null; name: string | null } = { email: null, name: null },
): PaymentMethod {
  const paymentMethod: PaymentMethod = {
    id: newId("pm_"),
    object: "payment_method",
    type: "card",
    created: nowSeconds(),
    livemode: false,
    customer: null,
    metadata: {},
    billing_details: { email: billing.email, name: billing.name, phone: null, address: null },
    card: cardDetails(cardNumber),
  };
  state.store.paymentMethods.set(paymentMethod.id, paymentMethod);
  state.store.cardNumbers.set(paymentMethod.id, cardNumber);
  return paymentMethod;
}

/**
 * The PaymentMethod a request names: a stored one, or a test token such as `pm_card_visa`,
 * which (as at Stripe) makes a fresh, unattached PaymentMethod for its test card.
 */
export function resolvePaymentMethod(state: StripeState, id: string): PaymentMethod {
  const token = TEST_PAYMENT_METHOD_TOKENS[id];
  if (token) return createCardPaymentMethod(state, token);
  return state.store.get("paymentMethods", id);
}

export function cardNumberOf(state: StripeState, paymentMethod: PaymentMethod): string {
  const number = state.store.cardNumbers.get(paymentMethod.id);
  if (!number) throw new Error(`No card number stored for ${paymentMethod.id}`);
  return number;
}

export function attachPaymentMethod(
  state: StripeState,
  paymentMethod: PaymentMethod,
  customerId: string,
  request: RequestInfo = NO_REQUEST,
): PaymentMethod {
  state.store.get("customers", customerId);
  if (paymentMethod.customer && paymentMethod.customer !== customerId) {
    throw invalidRequest(
      "The payment method you provided has already been attached to a customer.",
      "payment_method",
      "payment_method_unexpected_state",
    );
  }
  if (paymentMethod.customer !== customerId) {
    paymentMethod.customer = customerId;
    state.emit("payment_method.attached", paymentMethod, request);
  }
  return paymentMethod;
}

function listPaymentMethods(state: StripeState, customerId: string, params: Params, url: string) {
  state.store.get("customers", customerId);
  const type = params.string("type");
  const methods = [...state.store.paymentMethods.values()].filter(
    (pm) => pm.customer === customerId && (type === undefined || pm.type === type),
  );
  return expand(state.store, paginate(methods, params, url), params.strings("expand"));
}

export const paymentMethodRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/payment_methods",
    handler: (state, req) => {
      const customer = req.params.string("customer");
      if (!customer) throw invalidRequest("Missing required param: customer.", "customer", "parameter_missing");
      return listPaymentMethods(state, customer, req.params, "/v1/payment_methods");
    },
  },
  retrieveRoute("/v1/payment_methods", "paymentMethods"),
  {
    method: "POST",
    pattern: "/v1/payment_methods/:id/attach",
    handler: (state, req) =>
      attachPaymentMethod(
        state,
        resolvePaymentMethod(state, req.path.id ?? ""),
        req.params.requiredString("customer"),
        req.request,
      ),
  },
  {
    method: "POST",
    pattern: "/v1/payment_methods/:id/detach",
    handler: (state, req) => {
      const paymentMethod = state.store.get("paymentMethods", req.path.id ?? "");
      const customerId = paymentMethod.customer;
      if (!customerId) {
        throw invalidRequest(
          "The payment method you provided is not attached to a customer so detachment is impossible.",
          undefined,
          "payment_method_unexpected_state",
        );
      }
      paymentMethod.customer = null;
      const customer = state.store.customers.get(customerId);
      if (customer?.invoice_settings.default_payment_method === paymentMethod.id) {
        customer.invoice_settings.default_payment_method = null;
      }
      state.emit("payment_method.detached", paymentMethod, req.request);
      return paymentMethod;
    },
  },
  {
    method: "GET",
    pattern: "/v1/customers/:customer/payment_methods",
    handler: (state, req) => {
      const customer = req.path.customer ?? "";
      return listPaymentMethods(state, customer, req.params, `/v1/customers/${customer}/payment_methods`);
    },
  },
  {
    method: "GET",
    pattern: "/v1/customers/:customer/payment_methods/:id",
    handler: (state, req) => {
      const paymentMethod = state.store.get("paymentMethods", req.path.id ?? "");
      if (paymentMethod.customer !== req.path.customer) {
        throw invalidRequest(`No such PaymentMethod: '${paymentMethod.id}'`, "payment_method", "resource_missing");
      }
      return expand(state.store, paymentMethod, req.params.strings("expand"));
    },
  },
];
