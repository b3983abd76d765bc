import Stripe from "stripe";
import { newId, nowSeconds, Store } from "./store";
import type { StripeEvent } from "./types";
import type { WebhookDeliverer } from "./webhooks";

/** The API request that caused an event (null for the checkout page and test controls), as in `event.request`. */
export interface RequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

export const NO_REQUEST: RequestInfo = { id: null, idempotency_key: null };

/** What every resource module works on: the store, the event log and the server's own address. */
export class StripeState {
  readonly store = new Store();

  constructor(
    readonly deliverer: WebhookDeliverer,
    public baseUrl: string,
  ) {}

  /** Records an event with a snapshot of the object as it is now, and hands it to the deliverer. */
  emit(type: string, object: object, request: RequestInfo): StripeEvent {
    const event: StripeEvent = {
      id: newId("evt_"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: nowSeconds(),
      data: { object: structuredClone(object) },
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
