import type { Plan, Price, Product, RecurringInterval } from "../billing-types";
import { invalidRequest } from "../errors";
import { mergeMetadata, type Params } from "../form-encoding";
import type { Route } from "../router";
import type { StripeState } from "../state";
import { expand, newId, nowSeconds, paginate } from "../store";
import { retrieveRoute } from "./standard-routes";

function createProduct(state: StripeState, params: Params): Product {
  const id = params.string("id") ?? newId("prod_", 14);
  if (state.store.products.has(id)) {
    throw invalidRequest(`Product already exists.`, "id", "resource_already_exists");
  }
  const created = nowSeconds();
  const product: Product = {
    id,
    object: "product",
    created,
    livemode: false,
    active: params.boolean("active") ?? true,
    default_price: null,
    description: params.nullableString("description") ?? null,
    images: [],
    marketing_features: [],
    metadata: mergeMetadata({}, params.metadata()),
    name: params.requiredString("name"),
    package_dimensions: null,
    shippable: null,
    tax_code: null,
    type: "service",
    unit_label: null,
    updated: created,
    url: null,
  };
  state.store.products.set(id, product);
  return product;
}

function updateProduct(product: Product, params: Params): Product {
  const name = params.string("name");
  if (name !== undefined) product.name = name;
  const description = params.nullableString("description");
  if (description !== undefined) product.description = description;
  product.active = params.boolean("active") ?? product.active;
  product.metadata = mergeMetadata(product.metadata, params.metadata());
  product.updated = nowSeconds();
  return product;
}

/** A lookup key names one price; `transfer_lookup_key` moves it from the price that has it. */
function claimLookupKey(state: StripeState, price: Price, lookupKey: string, transfer: boolean): void {
  const holder = [...state.store.prices.values()].find((p) => p.lookup_key === lookupKey && p.id !== price.id);
  if (holder && !transfer) {
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Use \`transfer_lookup_key\` to move it to this price.`,
      "lookup_key",
    );
  }
  if (holder) holder.lookup_key = null;
  price.lookup_key = lookupKey;
}

function createPrice(state: StripeState, params: Params): Price {
  const currency = params.requiredString("currency").toLowerCase();
  const unitAmount = params.requiredInteger("unit_amount");
  if (unitAmount < 0) throw invalidRequest("This value must be greater than or equal to 0.", "unit_amount");
  let productId = params.string("product");
  const productData = params.object("product_data");
  if (productId) state.store.get("products", productId);
  else if (productData) {
    productId = createProduct(state, productData).id;
  } else {
    throw invalidRequest("Missing required param: product.", "product", "parameter_missing");
  }
  const recurring = params.object("recurring");
  const interval = recurring?.requiredString("interval");
  if (interval !== undefined && interval !== "month" && interval !== "year") {
    throw invalidRequest(
      `This test server supports the intervals month and year, not ${interval}.`,
      "recurring[interval]",
    );
  }
  const intervalCount = recurring?.integer("interval_count") ?? 1;
  if (intervalCount < 1) throw invalidRequest("Invalid interval_count.", "recurring[interval_count]");
  const price: Price = {
    id: newId("price_"),
    object: "price",
    created: nowSeconds(),
    livemode: false,
    active: params.boolean("active") ?? true,
    billing_scheme: "per_unit",
    currency,
    custom_unit_amount: null,
    lookup_key: null,
    metadata: mergeMetadata({}, params.metadata()),
    nickname: params.nullableString("nickname") ?? null,
    product: productId,
    recurring:
      interval === undefined
        ? null
        : {
            interval,
            interval_count: intervalCount,
            meter: null,
            trial_period_days: recurring?.integer("trial_period_days") ?? null,
            usage_type: "licensed",
          },
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: interval === undefined ? "one_time" : "recurring",
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
  const lookupKey = params.nullableString("lookup_key");
  if (lookupKey) claimLookupKey(state, price, lookupKey, params.boolean("transfer_lookup_key") ?? false);
  state.store.prices.set(price.id, price);
  return price;
}

function updatePrice(state: StripeState, price: Price, params: Params): Price {
  price.active = params.boolean("active") ?? price.active;
  price.metadata = mergeMetadata(price.metadata, params.metadata());
  const nickname = params.nullableString("nickname");
  if (nickname !== undefined) price.nickname = nickname;
  const lookupKey = params.nullableString("lookup_key");
  if (lookupKey === null) price.lookup_key = null;
  else if (lookupKey !== undefined) {
    claimLookupKey(state, price, lookupKey, params.boolean("transfer_lookup_key") ?? false);
  }
  return price;
}

/** A price a subscription can be made of: it exists, is active and recurring. */
export function recurringPrice(state: StripeState, id: string, param: string): Price {
  const price = state.store.get("prices", id);
  if (!price.active) throw invalidRequest(`The price specified is inactive: ${id}.`, param);
  if (!price.recurring) {
    throw invalidRequest(
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
      param,
    );
  }
  return price;
}

export function planOf(price: Price): Plan {
  const recurring = price.recurring;
  if (!recurring) throw new Error(`${price.id} is not recurring`);
  return {
    id: price.id,
    object: "plan",
    created: price.created,
    livemode: false,
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: recurring.trial_period_days,
    usage_type: "licensed",
  };
}

/** The product's name, for page and invoice texts. */
export function priceName(state: StripeState, price: Price): string {
  return state.store.products.get(price.product)?.name ?? price.nickname ?? price.id;
}

/**
 * Adds whole intervals in UTC calendar months, as Stripe bills: a period starting on Jan 31
 * ends on Feb 28 (or 29), and the next one is measured again from the anchor day.
 */
export function addInterval(anchor: number, interval: RecurringInterval, count: number): number {
  const date = new Date(anchor * 1000);
  const months = (interval === "year" ? 12 : 1) * count;
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 1000);
}

export const productPriceRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/products",
    handler: (state, req) => expand(state.store, createProduct(state, req.params), req.params.strings("expand")),
  },
  {
    method: "GET",
    pattern: "/v1/products",
    handler: (state, req) => {
      const active = req.params.boolean("active");
      const ids = req.params.strings("ids");
      const products = [...state.store.products.values()].filter(
        (product) =>
          (active === undefined || product.active === active) && (ids.length === 0 || ids.includes(product.id)),
      );
      return expand(state.store, paginate(products, req.params, "/v1/products"), req.params.strings("expand"));
    },
  },
  retrieveRoute("/v1/products", "products"),
  {
    method: "POST",
    pattern: "/v1/products/:id",
    handler: (state, req) =>
      expand(
        state.store,
        updateProduct(state.store.get("products", req.path.id ?? ""), req.params),
        req.params.strings("expand"),
      ),
  },
  {
    method: "POST",
    pattern: "/v1/prices",
    handler: (state, req) => expand(state.store, createPrice(state, req.params), req.params.strings("expand")),
  },
  {
    method: "GET",
    pattern: "/v1/prices",
    handler: (state, req) => {
      const { params } = req;
      const active = params.boolean("active");
      const product = params.string("product");
      const currency = params.string("currency")?.toLowerCase();
      const type = params.string("type");
      const lookupKeys = params.strings("lookup_keys");
      const prices = [...state.store.prices.values()].filter(
        (price) =>
          (active === undefined || price.active === active) &&
          (product === undefined || price.product === product) &&
          (currency === undefined || price.currency === currency) &&
          (type === undefined || price.type === type) &&
          (lookupKeys.length === 0 || (price.lookup_key !== null && lookupKeys.includes(price.lookup_key))),
      );
      return expand(state.store, paginate(prices, params, "/v1/prices"), params.strings("expand"));
    },
  },
  retrieveRoute("/v1/prices", "prices"),
  {
    method: "POST",
    pattern: "/v1/prices/:id",
    handler: (state, req) =>
      expand(
        state.store,
        updatePrice(state, state.store.get("prices", req.path.id ?? ""), req.params),
        req.params.strings("expand"),
      ),
  },
];
