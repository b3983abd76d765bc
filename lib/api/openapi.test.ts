import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

const API_ROOT = path.resolve("app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route.ts under app/api/v1 with the HTTP methods it exports, as OpenAPI paths. */
function routeHandlers(dir = API_ROOT): { path: string; method: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeHandlers(full);
    if (entry.name !== "route.ts") return [];
    const source = readFileSync(full, "utf8");
    const apiPath =
      "/api/v1" +
      path
        .relative(API_ROOT, dir)
        .split(path.sep)
        .filter((segment) => segment && !/^\(.*\)$/.test(segment))
        .map((segment) => segment.replace(/^\[(.+)\]$/, "{$1}"))
        .map((segment) => `/${segment}`)
        .join("");
    return METHODS.filter((method) =>
      new RegExp(`export (async )?function ${method}\\b|export const ${method}\\b`).test(source),
    ).map((method) => ({ path: apiPath, method: method.toLowerCase() }));
  });
}

describe("OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("is OpenAPI 3.1", () => {
    expect(document.openapi).toBe("3.1.0");
  });

  it("documents every route handler under app/api/v1", () => {
    const handlers = routeHandlers();
    expect(handlers.length).toBeGreaterThan(0);
    const missing = handlers.filter(({ path: p, method }) => !document.paths?.[p]?.[method as "get"]);
    expect(missing, `undocumented route handlers: ${JSON.stringify(missing)}`).toEqual([]);
  });

  it("documents no route that does not exist", () => {
    const handlers = new Set(routeHandlers().map(({ path: p, method }) => `${method} ${p}`));
    const documented = Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
      Object.keys(item ?? {})
        .filter((key) => METHODS.includes(key.toUpperCase() as (typeof METHODS)[number]))
        .map((method) => `${method} ${p}`),
    );
    expect(documented.filter((entry) => !handlers.has(entry))).toEqual([]);
  });
});
