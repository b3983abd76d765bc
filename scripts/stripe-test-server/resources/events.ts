import type { Route } from "../router";
import { retrieveRoute } from "./standard-routes";
import { paginate } from "../store";

export const eventRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/events",
    handler: (state, req) => {
      const type = req.params.string("type");
      const types = req.params.strings("types");
      const matches = (eventType: string): boolean => {
        if (types.length > 0) return types.includes(eventType);
        if (type === undefined) return true;
        // Stripe allows one trailing wildcard, e.g. `charge.dispute.*`.
        return type.endsWith("*") ? eventType.startsWith(type.slice(0, -1)) : eventType === type;
      };
      const events = [...state.store.events.values()].filter((event) => matches(event.type));
      return paginate(events, req.params, "/v1/events");
    },
  },
  retrieveRoute("/v1/events", "events"),
];
