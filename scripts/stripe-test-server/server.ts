import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApi } from "./api";
import { handlePage } from "./checkout-page";
import { errorJson, StripeApiError, unrecognizedUrl } from "./errors";
import { IdempotencyCache } from "./idempotency";
import {
  type CheckoutPaymentResult,
  payCheckoutSession,
  type PayCheckoutOptions,
  settleAsyncPayment,
} from "./resources/checkout-payment";
import { loseDispute, openDispute, winDispute } from "./resources/disputes";
import { createRefund, type RefundInput } from "./resources/refunds";
import { handlePortalPage } from "./portal-page";
import { advanceSubscription, type AdvanceOptions } from "./resources/subscription-renewals";
import { DEFAULT_SUBSCRIPTION_RETRIES, StripeState, type SubscriptionRetryPolicy } from "./state";
import type { Subscription } from "./billing-types";
import { handleTestControl } from "./test-controls";
import type { CheckoutSession, Dispute, Refund, StripeEvent } from "./types";
import {
  DEFAULT_REDELIVERY_DELAYS_MS,
  type DeliveryMode,
  type DeliveryRecord,
  WebhookDeliverer,
  type WebhookTarget,
} from "./webhooks";

export type {
  AdvanceOptions,
  CheckoutPaymentResult,
  DeliveryMode,
  DeliveryRecord,
  PayCheckoutOptions,
  RefundInput,
  SubscriptionRetryPolicy,
  WebhookTarget,
};
export { TEST_CARDS } from "./cards";

export interface StripeTestServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Secret the webhooks are signed with, as `STRIPE_WEBHOOK_SECRET` (`whsec_...`). */
  webhookSecret: string;
  /** Where events go: a URL to POST to, or a callback answering the HTTP status. None: events are only recorded. */
  webhook?: WebhookTarget;
  /** Waits before each redelivery of a failed delivery; after the last, the delivery is given up. */
  redeliveryDelaysMs?: number[];
  /** What failed renewals lead to; default 3 attempts, then the subscription is canceled. */
  subscriptionRetries?: SubscriptionRetryPolicy;
}

/**
 * An in-memory, Stripe-compatible API for tests and the demo: point stripe-node at it with
 * `new Stripe(key, { host: "127.0.0.1", port, protocol: "http" })`. The methods below are its
 * test controls; the same are served over HTTP under `/_test/...`.
 */
export class StripeTestServer {
  readonly url: string;
  readonly port: number;
  private readonly state: StripeState;
  private readonly deliverer: WebhookDeliverer;
  private readonly idempotency = new IdempotencyCache();
  private readonly server: ReturnType<typeof createServer>;
  private readonly initialRetries: SubscriptionRetryPolicy;

  /** Use startStripeTestServer(). */
  constructor(
    server: ReturnType<typeof createServer>,
    state: StripeState,
    deliverer: WebhookDeliverer,
    port: number,
    url: string,
  ) {
    this.server = server;
    this.state = state;
    this.deliverer = deliverer;
    this.port = port;
    this.url = url;
    this.initialRetries = { ...state.subscriptionRetries };
  }

  async close(): Promise<void> {
    this.deliverer.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  setDeliveryMode(mode: DeliveryMode): void {
    this.deliverer.setMode(mode);
  }

  deliveryMode(): DeliveryMode {
    return this.deliverer.getMode();
  }

  /** Sends the events held in "hold" mode; answers their ids in the order sent. */
  releaseHeld(options: { order?: "reverse" | "asIs" } = {}): string[] {
    return this.deliverer.releaseHeld(options.order ?? "asIs");
  }

  heldEventIds(): string[] {
    return this.deliverer.heldEventIds();
  }

  /** One record per delivery (an event sent twice has two), in the order they were queued. */
  deliveries(): DeliveryRecord[] {
    return this.deliverer.deliveries();
  }

  /** Resolves when no delivery is in flight or waiting to be retried; held events do not count. */
  waitForDeliveries(): Promise<void> {
    return this.deliverer.waitForDeliveries();
  }

  resend(eventId: string): void {
    this.deliverer.resend(this.state.store.get("events", eventId));
  }

  /** Emitted events, oldest first, optionally of one type. */
  events(type?: string): StripeEvent[] {
    return structuredClone(
      [...this.state.store.events.values()].filter((event) => type === undefined || event.type === type),
    );
  }

  payCheckoutSession(sessionId: string, options: PayCheckoutOptions = {}): CheckoutPaymentResult {
    return structuredClone(payCheckoutSession(this.state, sessionId, options));
  }

  settleAsyncPayment(sessionId: string, outcome: "succeeded" | "failed"): CheckoutSession {
    return structuredClone(settleAsyncPayment(this.state, sessionId, outcome));
  }

  /** A refund as from the Dashboard: the same rules and events as `POST /v1/refunds`. */
  refund(input: RefundInput): Refund {
    return structuredClone(createRefund(this.state, input));
  }

  openDispute(chargeId: string, options: { amount?: number; reason?: string } = {}): Dispute {
    return structuredClone(openDispute(this.state, chargeId, options));
  }

  winDispute(disputeId: string): Dispute {
    return structuredClone(winDispute(this.state, disputeId));
  }

  loseDispute(disputeId: string): Dispute {
    return structuredClone(loseDispute(this.state, disputeId));
  }

  /**
   * The subscription's next step, as time passing would bring it (there is no clock): the
   * period ends and renews (paid or failed), an open invoice is retried, or a subscription set
   * to cancel at period end ends. See resources/subscription-renewals.ts.
   */
  advanceSubscription(id: string, options: AdvanceOptions = {}): Subscription {
    return structuredClone(advanceSubscription(this.state, id, options));
  }

  setSubscriptionRetryPolicy(policy: Partial<SubscriptionRetryPolicy>): SubscriptionRetryPolicy {
    const next = { ...this.state.subscriptionRetries, ...policy };
    if (!Number.isSafeInteger(next.attempts) || next.attempts < 1) throw new Error("attempts must be at least 1");
    this.state.subscriptionRetries = next;
    return { ...next };
  }

  /** Forgets every object, event, delivery and idempotency key; delivery mode back to normal. */
  reset(): void {
    this.state.store.clear();
    this.state.subscriptionRetries = { ...this.initialRetries };
    this.deliverer.reset();
    this.idempotency.clear();
  }

  /** @internal the node:http request listener. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    try {
      if (url.pathname.startsWith("/v1/")) return await handleApi(this.state, this.idempotency, req, res, url);
      if (url.pathname.startsWith("/_test/")) return await handleTestControl(this, req, res, url);
      if (await handlePage(this.state, req, res, url.pathname)) return;
      if (await handlePortalPage(this.state, req, res, url)) return;
      const error = unrecognizedUrl(req.method ?? "GET", url.pathname);
      res.writeHead(error.status, { "Content-Type": "application/json" });
      res.end(errorJson(error));
    } catch (err) {
      console.error("stripe-test-server:", err);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(errorJson(new StripeApiError(500, { type: "api_error", message: "An unknown error occurred" })));
    }
  }
}

export async function startStripeTestServer(options: StripeTestServerOptions): Promise<StripeTestServer> {
  const host = options.host ?? "127.0.0.1";
  const deliverer = new WebhookDeliverer({
    target: options.webhook,
    secret: options.webhookSecret,
    redeliveryDelaysMs: options.redeliveryDelaysMs ?? DEFAULT_REDELIVERY_DELAYS_MS,
  });
  // The listener needs the instance, which needs the port the listen call picks.
  const ready: { instance?: StripeTestServer } = {};
  const server = createServer((req, res) => {
    if (ready.instance) void ready.instance.handle(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Links handed out (checkout url, receipt_url) must work from a browser on this machine.
  const publicHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const url = `http://${publicHost.includes(":") ? `[${publicHost}]` : publicHost}:${port}`;
  const state = new StripeState(deliverer, url);
  state.subscriptionRetries = { ...DEFAULT_SUBSCRIPTION_RETRIES, ...options.subscriptionRetries };
  ready.instance = new StripeTestServer(server, state, deliverer, port, url);
  return ready.instance;
}
