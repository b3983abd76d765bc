import Stripe from "stripe";
import { newId, nowSeconds, Store } from "./store";
import type { StripeEvent } from "./types";
import type { WebhookDeliverer } from "./webhooks";

/** The API request that caused an event (null for the checkout page and test controls), as in `event.request`. */
export interface RequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

/**
 * What happens when renewal payments keep failing, as the Dashboard's retry settings say:
 * after `attempts` failed attempts on one invoice the subscription is canceled (the invoice
 * marked uncollectible) or left `unpaid`.
 */
export interface SubscriptionRetryPolicy {
  attempts: number;
  afterFinal: "cancel" | "unpaid";
}

export const DEFAULT_SUBSCRIPTION_RETRIES: SubscriptionRetryPolicy = { attempts: 3, afterFinal: "cancel" };

export const NO_REQUEST: RequestInfo = { id: null, idempotency_key: null };

/** What every resource module works on: the store, the event log and the server's own address. */
export class StripeState {
  readonly store = new Store();
  subscriptionRetries: SubscriptionRetryPolicy = { ...DEFAULT_SUBSCRIPTION_RETRIES };

  constructor(
    readonly deliverer: WebhookDeliverer,
    public baseUrl: string,
  ) {}

  /** Records an event with a snapshot of the object as it is now, and hands it to the deliverer. */
  emit(type: string, object: object, request: RequestInfo, previousAttributes?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: newId("evt_"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: {
        object: structuredClone(object),
        ...(previousAttributes ? { previous_attributes: structuredClone(previousAttributes) } : {}),
      },
      livemode: false,
      pending_webhooks: this.deliverer.hasTarget ? 1 : 0,
      request,
      type,
    };
    this.store.events.set(event.id, event);
    this.deliverer.enqueue(event);
    return event;
  }
}
