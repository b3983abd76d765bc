import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { importRouteHandler, routeHandlerFiles, routeRequestParts } from "@/testing/route-handlers";
import { createTestMandate } from "@/testing/test-factories";

/**
 * Every machine-API route authenticates before anything else: without a valid key the answer is
 * 401, whatever is wrong with the path, query or body, and the body is never read (so nothing of
 * the schema is revealed). The handlers are called directly with Request objects.
 */
const PUBLIC = new Set(["GET /api/v1/openapi.json"]);
const routes = routeHandlerFiles().filter((route) => !PUBLIC.has(`${route.method} ${route.path}`));

let revokedKey: string;
beforeAll(async () => {
  const m = await createTestMandate({ balance: "1" });
  const created = await createApiKey({ name: "revoked", mandateId: m.mandateId });
  await revokeApiKey(created.id);
  revokedKey = created.key;
});

const MALFORMED: { name: string; body: string; contentType: string }[] = [
  { name: "broken JSON", body: "{", contentType: "application/json" },
  { name: "schema violation", body: JSON.stringify({ mandateId: "x", events: 1 }), contentType: "application/json" },
  { name: "wrong content type", body: "a=b", contentType: "application/x-www-form-urlencoded" },
];

describe.each(routes)("$method $path", (route) => {
  it.each(MALFORMED)("401 before the body is read: no key, unknown, revoked or malformed key ($name)", async (bad) => {
    const handler = await importRouteHandler(route);
    for (const authorization of [null, "Bearer bk_unknown", `Bearer ${revokedKey}`, "Basic abc", "Bearer"]) {
      const { url, context } = routeRequestParts(route.path, { mandateId: "not-a-uuid", reservationId: "x" });
      const req = new Request(`${url}?period=NONE&year=1e3&limit=-1&from=yesterday`, {
        method: route.method,
        headers: { "content-type": bad.contentType, ...(authorization ? { authorization } : {}) },
        ...(route.method === "GET" ? {} : { body: bad.body }),
      });
      const res = await handler(req, context);
      expect(res.status, String(authorization)).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
      expect(req.bodyUsed, "body read before authentication").toBe(false);
    }
  });

  it("the same malformed request with a valid key gets past authentication (4xx, not 401)", async () => {
    const handler = await importRouteHandler(route);
    const { key } = await createApiKey({ name: "platform", mandateId: null });
    const { url, context } = routeRequestParts(route.path, { mandateId: "not-a-uuid", reservationId: randomUUID() });
    const res = await handler(
      new Request(`${url}?period=NONE`, {
        method: route.method,
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        ...(route.method === "GET" ? {} : { body: "{" }),
      }),
      context,
    );
    expect(res.status).toBe(400);
  });
});
