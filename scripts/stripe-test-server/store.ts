import { randomBytes } from "node:crypto";
import type { BillingPortalSession, Invoice, Price, Product, Subscription, SubscriptionExtras } from "./billing-types";
import { invalidRequest, resourceMissing } from "./errors";
import type { Params } from "./form-encoding";
import type {
  Charge,
  CheckoutSession,
  CheckoutSessionExtras,
  Customer,
  Dispute,
  ListObject,
  PaymentIntent,
  PaymentMethod,
  Refund,
  StripeEvent,
  StripeResource,
} from "./types";

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An id with Stripe's prefix (`cus_`, `cs_test_`, `pi_`...) and a random tail. */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let tail = "";
  for (const byte of bytes) tail += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}${tail}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Everything the server knows, in memory. Maps keep insertion order, which lists use as the
 * tiebreak for objects created in the same second (Stripe lists newest first).
 */
export class Store {
  readonly customers = new Map<string, Customer>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  readonly checkoutSessions = new Map<string, CheckoutSession>();
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
  readonly disputes = new Map<string, Dispute>();
  readonly events = new Map<string, StripeEvent>();
  readonly products = new Map<string, Product>();
  readonly prices = new Map<string, Price>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly invoices = new Map<string, Invoice>();
  readonly portalSessions = new Map<string, BillingPortalSession>();
  readonly subscriptionExtras = new Map<string, SubscriptionExtras>();
  /** Invoice numbers count up per customer, as Stripe's default numbering does. */
  readonly invoiceCounts = new Map<string, number>();
  /** Card numbers stay on the server, as at Stripe: objects show only brand and last4. */
  readonly cardNumbers = new Map<string, string>();
  readonly checkoutExtras = new Map<string, CheckoutSessionExtras>();

  clear(): void {
    for (const map of [
      this.customers,
      this.paymentMethods,
      this.checkoutSessions,
      this.paymentIntents,
      this.charges,
      this.refunds,
      this.disputes,
      this.events,
      this.cardNumbers,
      this.checkoutExtras,
      this.products,
      this.prices,
      this.subscriptions,
      this.invoices,
      this.portalSessions,
      this.subscriptionExtras,
      this.invoiceCounts,
    ] as Map<string, unknown>[]) {
      map.clear();
    }
  }

  /** Any object by its id, found through its prefix; used by `expand[]`. */
  find(id: string): StripeResource | undefined {
    const [, collection] = PREFIXES.find(([prefix]) => id.startsWith(prefix)) ?? [];
    return collection ? this[collection].get(id) : undefined;
  }

  get<K extends CollectionName>(collection: K, id: string): CollectionItem<K> {
    const item = this[collection].get(id) as CollectionItem<K> | undefined;
    if (!item) throw resourceMissing(KIND_NAMES[collection], id);
    return item;
  }
}

export type CollectionName =
  | "customers"
  | "paymentMethods"
  | "checkoutSessions"
  | "paymentIntents"
  | "charges"
  | "refunds"
  | "disputes"
  | "events"
  | "products"
  | "prices"
  | "subscriptions"
  | "invoices"
  | "portalSessions";
type CollectionItem<K extends CollectionName> = Store[K] extends Map<string, infer T> ? T : never;

const PREFIXES: [string, CollectionName][] = [
  ["cus_", "customers"],
  ["pm_", "paymentMethods"],
  ["cs_", "checkoutSessions"],
  ["pi_", "paymentIntents"],
  ["ch_", "charges"],
  ["py_", "charges"],
  ["re_", "refunds"],
  ["dp_", "disputes"],
  ["du_", "disputes"],
  ["evt_", "events"],
  ["prod_", "products"],
  ["price_", "prices"],
  ["sub_", "subscriptions"],
  ["in_", "invoices"],
  ["bps_", "portalSessions"],
];

const KIND_NAMES: Record<CollectionName, string> = {
  customers: "customer",
  paymentMethods: "PaymentMethod",
  checkoutSessions: "checkout.session",
  paymentIntents: "payment_intent",
  charges: "charge",
  refunds: "refund",
  disputes: "dispute",
  events: "event",
  products: "product",
  prices: "price",
  subscriptions: "subscription",
  invoices: "invoice",
  portalSessions: "billing portal session",
};

/**
 * A page of a Stripe list: newest first, `limit` (default 10, at most 100), cursors
 * `starting_after` / `ending_before`, and the `created` filter (`created[gte]` and friends).
 */
export function paginate<T extends { id: string; created: number }>(
  items: Iterable<T>,
  params: Params,
  url: string,
): ListObject<T> {
  const limit = params.integer("limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest("This value must be between 1 and 100.", "limit");
  let list = [...items].reverse().filter(createdFilter(params));
  const startingAfter = params.string("starting_after");
  const endingBefore = params.string("ending_before");
  if (startingAfter !== undefined) {
    const index = list.findIndex((item) => item.id === startingAfter);
    if (index === -1) throw resourceMissing("object", startingAfter, "starting_after");
    list = list.slice(index + 1);
    return { object: "list", data: list.slice(0, limit), has_more: list.length > limit, url };
  }
  if (endingBefore !== undefined) {
    const index = list.findIndex((item) => item.id === endingBefore);
    if (index === -1) throw resourceMissing("object", endingBefore, "ending_before");
    list = list.slice(0, index);
    return { object: "list", data: list.slice(-limit), has_more: list.length > limit, url };
  }
  return { object: "list", data: list.slice(0, limit), has_more: list.length > limit, url };
}

function createdFilter(params: Params): (item: { created: number }) => boolean {
  if (typeof params.raw.created === "string") {
    const exact = params.integer("created");
    return (item) => item.created === exact;
  }
  const range = params.object("created");
  if (!range) return () => true;
  const gt = range.integer("gt");
  const gte = range.integer("gte");
  const lt = range.integer("lt");
  const lte = range.integer("lte");
  return (item) =>
    (gt === undefined || item.created > gt) &&
    (gte === undefined || item.created >= gte) &&
    (lt === undefined || item.created < lt) &&
    (lte === undefined || item.created <= lte);
}

/**
 * Applies `expand[]` paths such as `payment_intent.latest_charge` (or `data.customer` on a
 * list) to a copy: each id on the path is replaced by its object.
 */
export function expand<T>(store: Store, value: T, paths: string[]): T {
  let result = structuredClone(value);
  for (const path of paths) result = expandPath(store, result, path.split("."), path) as T;
  return result;
}

function expandPath(store: Store, value: unknown, segments: string[], path: string): unknown {
  const [head, ...rest] = segments;
  if (head === undefined || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => expandPath(store, item, segments, path));
  const record = value as Record<string, unknown>;
  if (!(head in record)) throw invalidRequest(`This property cannot be expanded (${path}).`, "expand");
  let field = record[head];
  if (typeof field === "string") {
    const found = store.find(field);
    if (!found) throw invalidRequest(`This property cannot be expanded (${path}).`, "expand");
    field = structuredClone(found);
  }
  record[head] = rest.length > 0 ? expandPath(store, field, rest, path) : field;
  return record;
}
