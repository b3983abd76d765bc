import type { BillingPortalSession } from "../billing-types";
import { invalidRequest } from "../errors";
import type { Route } from "../router";
import type { StripeState } from "../state";
import { expand, newId, nowSeconds } from "../store";

/** Portal links stop working after a while, as at Stripe (there: 5 minutes of inactivity). */
export const PORTAL_SESSION_TTL_SECONDS = 60 * 60;

export const billingPortalRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/billing_portal/sessions",
    handler: (state: StripeState, req) => {
      const { params } = req;
      const customer = params.requiredString("customer");
      state.store.get("customers", customer);
      const flowType = params.object("flow_data")?.requiredString("type");
      if (flowType !== undefined && flowType !== "payment_method_update") {
        throw invalidRequest(
          `This test server supports flow_data[type]=payment_method_update only, not ${flowType}.`,
          "flow_data[type]",
        );
      }
      const id = newId("bps_");
      const session: BillingPortalSession = {
        id,
        object: "billing_portal.session",
        created: nowSeconds(),
        livemode: false,
        configuration: "bpc_offline_default",
        customer,
        customer_account: null,
        flow:
          flowType === undefined
            ? null
            : {
                type: flowType,
                after_completion: { type: "portal_homepage", hosted_confirmation: null, redirect: null },
                customer_update: null,
                subscription_cancel: null,
                subscription_pause: null,
                subscription_update: null,
                subscription_update_confirm: null,
              },
        locale: params.string("locale") ?? null,
        on_behalf_of: null,
        return_url: params.nullableString("return_url") ?? null,
        url: `${state.baseUrl}/portal/${id}`,
      };
      state.store.portalSessions.set(id, session);
      return expand(state.store, session, params.strings("expand"));
    },
  },
];
