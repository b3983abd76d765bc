import type { Params } from "./form-encoding";
import type { RequestInfo, StripeState } from "./state";

export interface ApiRequest {
  /** Form body for POST, query string for GET and DELETE, as stripe-node sends them. */
  params: Params;
  /** Path parameters by name, e.g. `{ id: "cus_..." }` for `/v1/customers/:id`. */
  path: Record<string, string>;
  request: RequestInfo;
  pathname: string;
}

export type Handler = (state: StripeState, req: ApiRequest) => object;

export interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

/** A table of routes matched in order; `:name` segments capture one path segment. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split("/")
        .map((segment) => {
          if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(segment.slice(1));
          return "([^/]+)";
        })
        .join("/");
      return { ...route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, pathname: string): { route: Route; path: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.regex.exec(pathname);
      if (!match) continue;
      const path: Record<string, string> = {};
      route.names.forEach((name, index) => {
        path[name] = decodeURIComponent(match[index + 1] ?? "");
      });
      return { route, path };
    }
    return undefined;
  }
}
