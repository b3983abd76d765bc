import type { Route } from "../router";
import { type CollectionName, expand, paginate } from "../store";

/** `GET <pattern>/:id` for a collection, with `expand[]`. */
export function retrieveRoute(pattern: string, collection: CollectionName): Route {
  return {
    method: "GET",
    pattern: `${pattern}/:id`,
    handler: (state, req) =>
      expand(state.store, state.store.get(collection, req.path.id ?? ""), req.params.strings("expand")),
  };
}

/**
 * `GET <pattern>` for a collection: Stripe's list filters here are all equality on a field of
 * the same name (`customer`, `payment_intent`, `charge`...), plus pagination and `expand[]`.
 */
export function listRoute(pattern: string, collection: CollectionName, filters: string[]): Route {
  return {
    method: "GET",
    pattern,
    handler: (state, req) => {
      const wanted = filters.flatMap((field) => {
        const value = req.params.string(field);
        return value === undefined ? [] : [[field, value] as const];
      });
      const items = [...state.store[collection].values()].filter((item) =>
        wanted.every(([field, value]) => (item as unknown as Record<string, unknown>)[field] === value),
      );
      return expand(state.store, paginate(items, req.params, pattern), req.params.strings("expand"));
    },
  };
}
