import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const APP_ROOT = path.resolve("app");
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteHandlerFile {
  /** The URL path in OpenAPI form: `/api/v1/mandates/{mandateId}/balance`. */
  path: string;
  method: HttpMethod;
  /** The route.ts file, for a dynamic import of its handler. */
  file: string;
}

/**
 * Every route.ts under app/<root> with the HTTP methods it exports, found on disk so that a new
 * route is covered by the tests that walk them (OpenAPI coverage, authentication first, fuzz).
 */
export function routeHandlerFiles(root = "api/v1", dir = path.join(APP_ROOT, root)): RouteHandlerFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeHandlerFiles(root, full);
    if (entry.name !== "route.ts") return [];
    const source = readFileSync(full, "utf8");
    const urlPath = path
      .relative(APP_ROOT, dir)
      .split(path.sep)
      .filter((segment) => segment && !/^\(.*\)$/.test(segment))
      .map((segment) => `/${segment.replace(/^\[(.+)\]$/, "{$1}")}`)
      .join("");
    return HTTP_METHODS.filter((method) =>
      new RegExp(`export (async )?function ${method}\\b|export const ${method}\\b`).test(source),
    ).map((method) => ({ path: urlPath, method, file: full }));
  });
}

type Handler = (req: Request, context: { params: Promise<unknown> }) => Promise<Response>;

/** The exported handler of one route file and method. */
export async function importRouteHandler(route: RouteHandlerFile): Promise<Handler> {
  const mod = (await import(route.file)) as Partial<Record<HttpMethod, Handler>>;
  const handler = mod[route.method];
  if (!handler) throw new Error(`${route.file} exports no ${route.method}`);
  return handler;
}

/**
 * The path's `{name}` segments filled from `params`, and the params as Next passes them (as given,
 * so a test can send what no URL could carry, such as an unpaired surrogate).
 */
export function routeRequestParts(routePath: string, params: Record<string, string>) {
  const url = routePath.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent((params[name] ?? "").replace(/\p{Cs}/gu, "\ufffd")),
  );
  return { url: `http://localhost${url}`, context: { params: Promise.resolve(params) } };
}
