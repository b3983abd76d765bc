import Stripe from "stripe";
import type { StripeEvent } from "./types";

export type WebhookTarget =
  { url: string } | { deliver(payload: string, headers: Record<string, string>): Promise<number> };

/**
 * normal: each event once, in the order emitted. twice: each event sent twice at the same
 * moment (two deliveries, same event id), as Stripe may. hold: events wait for releaseHeld().
 */
export type DeliveryMode = "normal" | "twice" | "hold";

export interface DeliveryRecord {
  eventId: string;
  type: string;
  attempts: number;
  /** HTTP status of the last attempt; null when it did not get an answer. */
  lastStatus: number | null;
  lastError: string | null;
  state: "pending" | "delivered" | "failed";
}

export const DEFAULT_REDELIVERY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Delivers events as Stripe does: a JSON POST signed with the real `Stripe-Signature` scheme
 * (fresh timestamp per attempt), redelivered after each non-2xx answer or connection error
 * until the delays run out. Deliveries go one after another; a redelivery rejoins the line
 * when its delay is over, so later events may overtake it, as at Stripe.
 */
export class WebhookDeliverer {
  private mode: DeliveryMode = "normal";
  private records: DeliveryRecord[] = [];
  private held: StripeEvent[] = [];
  private line: Promise<void> = Promise.resolve();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: { target?: WebhookTarget; secret: string; redeliveryDelaysMs: number[] }) {}

  get hasTarget(): boolean {
    return this.options.target !== undefined;
  }

  setMode(mode: DeliveryMode): void {
    this.mode = mode;
  }

  getMode(): DeliveryMode {
    return this.mode;
  }

  deliveries(): DeliveryRecord[] {
    return this.records.map((record) => ({ ...record }));
  }

  heldEventIds(): string[] {
    return this.held.map((event) => event.id);
  }

  /** Called for every emitted event. */
  enqueue(event: StripeEvent): void {
    if (!this.hasTarget || this.closed) return;
    if (this.mode === "hold") this.held.push(event);
    else this.dispatch(event, this.mode === "twice" ? 2 : 1);
  }

  /** Sends the held events, in the order they were emitted or the reverse. */
  releaseHeld(order: "asIs" | "reverse" = "asIs"): string[] {
    const events = order === "reverse" ? [...this.held].reverse() : [...this.held];
    this.held = [];
    for (const event of events) this.dispatch(event, this.mode === "twice" ? 2 : 1);
    return events.map((event) => event.id);
  }

  /** One more delivery of an event already emitted, as the Dashboard's "Resend" does. */
  resend(event: StripeEvent): void {
    if (!this.hasTarget) throw new Error("No webhook endpoint is configured.");
    this.dispatch(event, 1);
  }

  /** Resolves once no delivery is in flight or waiting for a redelivery (held events do not count). */
  waitForDeliveries(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reset(): void {
    this.clearTimers();
    this.records = [];
    this.held = [];
    this.mode = "normal";
    this.pending = 0;
    this.wakeIdleWaiters();
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private dispatch(event: StripeEvent, copies: number): void {
    const payload = JSON.stringify(event, null, 2);
    const records = Array.from({ length: copies }, (): DeliveryRecord => {
      const record: DeliveryRecord = {
        eventId: event.id,
        type: event.type,
        attempts: 0,
        lastStatus: null,
        lastError: null,
        state: "pending",
      };
      this.records.push(record);
      return record;
    });
    this.pending += copies;
    this.line = this.line.then(() =>
      Promise.all(records.map((record) => this.attempt(record, payload))).then(() => undefined),
    );
  }

  private async attempt(record: DeliveryRecord, payload: string): Promise<void> {
    if (this.closed || record.state !== "pending" || !this.records.includes(record)) return;
    record.attempts += 1;
    try {
      record.lastStatus = await this.send(payload);
      record.lastError = null;
    } catch (err) {
      record.lastStatus = null;
      record.lastError = err instanceof Error ? err.message : String(err);
    }
    if (this.closed || !this.records.includes(record)) return;
    const ok = record.lastStatus !== null && record.lastStatus >= 200 && record.lastStatus < 300;
    const delay = this.options.redeliveryDelaysMs[record.attempts - 1];
    if (ok || delay === undefined) {
      record.state = ok ? "delivered" : "failed";
      this.settle();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.line = this.line.then(() => this.attempt(record, payload));
    }, delay);
    this.timers.add(timer);
  }

  private async send(payload: string): Promise<number> {
    const target = this.options.target;
    if (!target) throw new Error("No webhook endpoint is configured.");
    const headers = {
      "Content-Type": "application/json; charset=utf-8",
      "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: this.options.secret }),
      "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      Accept: "*/*; q=0.5, application/xml",
      "Cache-Control": "no-cache",
    };
    if ("deliver" in target) return target.deliver(payload, headers);
    const response = await fetch(target.url, {
      method: "POST",
      headers,
      body: payload,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  }

  private settle(): void {
    this.pending = Math.max(0, this.pending - 1);
    if (this.pending === 0) this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
