import type { IncomingMessage, ServerResponse } from "node:http";
import Stripe from "stripe";
import { errorJson, StripeApiError, unrecognizedUrl } from "./errors";
import { canonicalJson, Params, parseStripeForm } from "./form-encoding";
import { IdempotencyCache } from "./idempotency";
import { checkoutSessionRoutes } from "./resources/checkout-sessions";
import { chargeRoutes } from "./resources/charges";
import { customerRoutes } from "./resources/customers";
import { disputeRoutes } from "./resources/disputes";
import { eventRoutes } from "./resources/events";
import { paymentIntentRoutes } from "./resources/payment-intents";
import { paymentMethodRoutes } from "./resources/payment-methods";
import { refundRoutes } from "./resources/refunds";
import { billingPortalRoutes } from "./resources/billing-portal";
import { invoiceRoutes } from "./resources/invoices";
import { productPriceRoutes } from "./resources/products-prices";
import { subscriptionRoutes } from "./resources/subscriptions";
import { Router } from "./router";
import type { StripeState } from "./state";
import { newId } from "./store";

const router = new Router([
  ...customerRoutes,
  ...checkoutSessionRoutes,
  ...paymentIntentRoutes,
  ...paymentMethodRoutes,
  ...chargeRoutes,
  ...refundRoutes,
  ...disputeRoutes,
  ...eventRoutes,
  ...productPriceRoutes,
  ...subscriptionRoutes,
  ...invoiceRoutes,
  ...billingPortalRoutes,
]);

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Any test-mode secret or restricted key passes, as the real API would for a valid one; live keys do not. */
function apiKeyOf(req: IncomingMessage): string {
  const header = req.headers.authorization ?? "";
  let key = "";
  if (header.startsWith("Bearer ")) key = header.slice("Bearer ".length).trim();
  else if (header.startsWith("Basic "))
    key = Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0] ?? "";
  if (key === "") {
    throw new StripeApiError(401, {
      type: "invalid_request_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  if (!/^(sk|rk)_test_\S+$/.test(key)) {
    throw new StripeApiError(401, {
      type: "invalid_request_error",
      message: `Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
    });
  }
  return key;
}

/** One `/v1/...` request: authenticate, parse, replay or run, answer JSON in Stripe's shape. */
export async function handleApi(
  state: StripeState,
  idempotency: IdempotencyCache,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? "GET";
  const requestId = newId("req_", 14);
  const idempotencyKey = method === "POST" ? (req.headers["idempotency-key"] as string | undefined) : undefined;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Request-Id": requestId,
    "Stripe-Version": (req.headers["stripe-version"] as string | undefined) ?? Stripe.API_VERSION,
  };
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  const answer = (status: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, ...extra });
    res.end(body);
  };
  try {
    const apiKey = apiKeyOf(req);
    const body = await readBody(req);
    const raw = parseStripeForm(method === "POST" ? body : url.search.slice(1));
    const fingerprint = `${method} ${url.pathname}\n${canonicalJson(raw)}`;
    if (idempotencyKey) {
      const stored = idempotency.lookup(apiKey, idempotencyKey, fingerprint);
      if (stored) return answer(stored.status, stored.body, { "Idempotent-Replayed": "true" });
    }
    const match = router.match(method, url.pathname);
    if (!match) throw unrecognizedUrl(method, url.pathname);
    let status = 200;
    let responseBody: string;
    try {
      // Handlers are synchronous: a request runs start to finish without interleaving,
      // so two requests with one idempotency key cannot both run.
      const result = match.route.handler(state, {
        params: new Params(raw),
        path: match.path,
        request: { id: requestId, idempotency_key: idempotencyKey ?? null },
        pathname: url.pathname,
      });
      responseBody = JSON.stringify(result, null, 2);
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      status = err.status;
      responseBody = errorJson(err);
    }
    if (idempotencyKey) idempotency.save(apiKey, idempotencyKey, { fingerprint, status, body: responseBody });
    answer(status, responseBody);
  } catch (err) {
    if (err instanceof StripeApiError) return answer(err.status, errorJson(err));
    console.error("stripe-test-server:", err);
    answer(500, errorJson(new StripeApiError(500, { type: "api_error", message: "An unknown error occurred" })), {
      "Stripe-Should-Retry": "false",
    });
  }
}
