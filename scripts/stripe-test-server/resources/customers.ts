import { invalidRequest } from "../errors";
import { mergeMetadata, type Params } from "../form-encoding";
import type { Route } from "../router";
import { listRoute, retrieveRoute } from "./standard-routes";
import type { StripeState } from "../state";
import { expand, newId, nowSeconds } from "../store";
import type { Customer } from "../types";

export function createCustomer(state: StripeState, params: Params): Customer {
  const customer: Customer = {
    id: newId("cus_", 14),
    object: "customer",
    created: nowSeconds(),
    livemode: false,
    name: params.nullableString("name") ?? null,
    email: params.nullableString("email") ?? null,
    description: params.nullableString("description") ?? null,
    metadata: mergeMetadata({}, params.metadata()),
    balance: 0,
    currency: null,
    delinquent: false,
    invoice_settings: { default_payment_method: null, custom_fields: null, footer: null, rendering_options: null },
  };
  const defaultPaymentMethod = params.object("invoice_settings")?.nullableString("default_payment_method");
  if (defaultPaymentMethod) setDefaultPaymentMethod(state, customer, defaultPaymentMethod);
  state.store.customers.set(customer.id, customer);
  return customer;
}

function updateCustomer(state: StripeState, customer: Customer, params: Params): Customer {
  const name = params.nullableString("name");
  const email = params.nullableString("email");
  const description = params.nullableString("description");
  if (name !== undefined) customer.name = name;
  if (email !== undefined) customer.email = email;
  if (description !== undefined) customer.description = description;
  customer.metadata = mergeMetadata(customer.metadata, params.metadata());
  const defaultPaymentMethod = params.object("invoice_settings")?.nullableString("default_payment_method");
  if (defaultPaymentMethod === null) customer.invoice_settings.default_payment_method = null;
  else if (defaultPaymentMethod !== undefined) setDefaultPaymentMethod(state, customer, defaultPaymentMethod);
  return customer;
}

/** Stripe refuses a default payment method that is not attached to this customer. */
function setDefaultPaymentMethod(state: StripeState, customer: Customer, paymentMethodId: string): void {
  const paymentMethod = state.store.paymentMethods.get(paymentMethodId);
  if (!paymentMethod || paymentMethod.customer !== customer.id) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${paymentMethodId}. The payment method must be attached to the customer.`,
      "invoice_settings[default_payment_method]",
      "resource_missing",
    );
  }
  customer.invoice_settings.default_payment_method = paymentMethodId;
}

export const customerRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/customers",
    handler: (state, req) => expand(state.store, createCustomer(state, req.params), req.params.strings("expand")),
  },
  listRoute("/v1/customers", "customers", ["email"]),
  retrieveRoute("/v1/customers", "customers"),
  {
    method: "POST",
    pattern: "/v1/customers/:id",
    handler: (state, req) => {
      const customer = updateCustomer(state, state.store.get("customers", req.path.id ?? ""), req.params);
      return expand(state.store, customer, req.params.strings("expand"));
    },
  },
];
