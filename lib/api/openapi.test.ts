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

  it("gives every operation an operationId, tags, its 4xx answers and, behind a key, 401 and 503", () => {
    const operations = Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
      METHODS.map((method) => ({ p, method, op: item?.[method.toLowerCase() as "get"] })).filter(({ op }) => op),
    );
    expect(operations.length).toBeGreaterThan(0);
    const ids = new Set<string>();
    for (const { p, method, op } of operations) {
      const where = `${method} ${p}`;
      expect(op?.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      ids.add(op!.operationId!);
      expect(op?.tags?.length, where).toBeGreaterThan(0);
      const statuses = Object.keys(op?.responses ?? {});
      expect(
        statuses.some((status) => /^4/.test(status)),
        where,
      ).toBe(true);
      if (op?.security?.length !== 0) {
        expect(statuses, where).toEqual(expect.arrayContaining(["401", "503"]));
        const unavailable = op!.responses!["503"] as { headers?: Record<string, unknown> };
        expect(Object.keys(unavailable.headers ?? {}), where).toContain("Retry-After");
      }
    }
    expect(ids.size).toBe(operations.length);
  });
});
