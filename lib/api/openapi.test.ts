import { describe, expect, it } from "vitest";
import { HTTP_METHODS, routeHandlerFiles } from "@/testing/route-handlers";
import { buildOpenApiDocument } from "./openapi";

const METHODS = HTTP_METHODS;

/** Every route.ts under app/api/v1 with the HTTP methods it exports, as OpenAPI paths. */
function routeHandlers(): { path: string; method: string }[] {
  return routeHandlerFiles().map(({ path, method }) => ({ path, method: method.toLowerCase() }));
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
