import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./api";
import { StripeApiError } from "./errors";
import type { StripeTestServer } from "./server";
import type { DeliveryMode } from "./webhooks";

type Json = Record<string, unknown>;

function stringField(body: Json, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badControl(`${key} must be a string`);
  return value;
}

function integerField(body: Json, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    throw badControl(`${key} must be an integer (minor units)`);
  return value;
}

function badControl(message: string): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", message });
}

/**
 * `/_test/...`: the server's test controls over HTTP, for Playwright and people. JSON in and
 * out; no API key, since they exist only on this loopback tool. See README.md for the list.
 */
export async function handleTestControl(
  server: StripeTestServer,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body, null, 2));
  };
  try {
    const text = req.method === "POST" ? await readBody(req) : "";
    const body: Json = text.trim() === "" ? {} : (JSON.parse(text) as Json);
    const route = `${req.method ?? "GET"} ${url.pathname.replace(/\/$/, "")}`;
    const param = (pattern: RegExp) => decodeURIComponent(pattern.exec(url.pathname)?.[1] ?? "");
    if (route === "GET /_test/deliveries") {
      return answer(200, { mode: server.deliveryMode(), held: server.heldEventIds(), deliveries: server.deliveries() });
    }
    if (route === "POST /_test/delivery-mode") {
      const mode = stringField(body, "mode");
      if (mode !== "normal" && mode !== "twice" && mode !== "hold")
        throw badControl("mode must be normal, twice or hold");
      server.setDeliveryMode(mode as DeliveryMode);
      return answer(200, { mode });
    }
    if (route === "POST /_test/release-held") {
      const order = stringField(body, "order") ?? "asIs";
      if (order !== "asIs" && order !== "reverse") throw badControl("order must be asIs or reverse");
      return answer(200, { released: server.releaseHeld({ order }) });
    }
    if (route === "POST /_test/wait-for-deliveries") {
      await server.waitForDeliveries();
      return answer(200, { deliveries: server.deliveries() });
    }
    if (route === "GET /_test/events") {
      return answer(200, { events: server.events(url.searchParams.get("type") ?? undefined) });
    }
    if (/^POST \/_test\/events\/[^/]+\/resend$/.test(route)) {
      const id = param(/^\/_test\/events\/([^/]+)/);
      server.resend(id);
      return answer(200, { resent: id });
    }
    if (/^POST \/_test\/checkout\/sessions\/[^/]+\/pay$/.test(route)) {
      const saveCard = body.saveCard;
      if (saveCard !== undefined && typeof saveCard !== "boolean") throw badControl("saveCard must be a boolean");
      const result = server.payCheckoutSession(param(/^\/_test\/checkout\/sessions\/([^/]+)/), {
        card: stringField(body, "card"),
        saveCard,
      });
      return answer(result.outcome === "declined" ? 402 : 200, result);
    }
    if (/^POST \/_test\/checkout\/sessions\/[^/]+\/settle$/.test(route)) {
      const outcome = stringField(body, "outcome");
      if (outcome !== "succeeded" && outcome !== "failed") throw badControl("outcome must be succeeded or failed");
      return answer(200, server.settleAsyncPayment(param(/^\/_test\/checkout\/sessions\/([^/]+)/), outcome));
    }
    if (route === "POST /_test/refunds") {
      const refund = server.refund({
        paymentIntent: stringField(body, "payment_intent"),
        charge: stringField(body, "charge"),
        amount: integerField(body, "amount"),
        reason: stringField(body, "reason"),
      });
      return answer(200, refund);
    }
    if (/^POST \/_test\/charges\/[^/]+\/dispute$/.test(route)) {
      const dispute = server.openDispute(param(/^\/_test\/charges\/([^/]+)/), {
        amount: integerField(body, "amount"),
        reason: stringField(body, "reason"),
      });
      return answer(200, dispute);
    }
    const disputeAction = /^POST \/_test\/disputes\/[^/]+\/(win|lose)$/.exec(route);
    if (disputeAction) {
      const id = param(/^\/_test\/disputes\/([^/]+)/);
      return answer(200, disputeAction[1] === "win" ? server.winDispute(id) : server.loseDispute(id));
    }
    if (/^POST \/_test\/subscriptions\/[^/]+\/advance$/.test(route)) {
      const outcome = stringField(body, "outcome") ?? "paid";
      if (outcome !== "paid" && outcome !== "failed") throw badControl("outcome must be paid or failed");
      return answer(200, server.advanceSubscription(param(/^\/_test\/subscriptions\/([^/]+)/), { outcome }));
    }
    if (route === "POST /_test/subscription-retry-policy") {
      const afterFinal = stringField(body, "afterFinal");
      if (afterFinal !== undefined && afterFinal !== "cancel" && afterFinal !== "unpaid") {
        throw badControl("afterFinal must be cancel or unpaid");
      }
      const attempts = integerField(body, "attempts");
      return answer(
        200,
        server.setSubscriptionRetryPolicy({
          ...(attempts !== undefined ? { attempts } : {}),
          ...(afterFinal ? { afterFinal } : {}),
        }),
      );
    }
    if (route === "POST /_test/reset") {
      server.reset();
      return answer(200, { reset: true });
    }
    answer(404, { error: { type: "invalid_request_error", message: `No test control ${route}` } });
  } catch (err) {
    if (err instanceof StripeApiError) return answer(err.status, { error: err.body });
    if (err instanceof SyntaxError)
      return answer(400, { error: { type: "invalid_request_error", message: "Invalid JSON" } });
    const message = err instanceof Error ? err.message : String(err);
    answer(400, { error: { type: "invalid_request_error", message } });
  }
}
