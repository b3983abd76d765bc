import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import type { ErrorBody } from "@/lib/http/error-response";
import { apiClient, createTestApiKey } from "@/testing/api-client";
import { appServerForThisFile } from "@/testing/app-server";

/** Who may read a mandate, for every read route of /api/v1/mandates/{mandateId}. */
const ROUTES = ["balance", "statistics?period=YEAR&year=2026", "transactions"];

const app = appServerForThisFile();
let a: TestMandate;
let b: TestMandate;
let keyA: string;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestMandate({ balance: "1" }), createTestMandate({ balance: "2" })]);
  keyA = await createTestApiKey(a.mandateId);
}, 600_000);

const path = (mandateId: string, route: string) => `/api/v1/mandates/${mandateId}/${route}`;

describe.each(ROUTES)("GET /api/v1/mandates/{mandateId}/%s", (route) => {
  it("200 with a key of the mandate, and with a platform-wide key", async () => {
    expect((await apiClient(app.baseUrl, keyA).get(path(a.mandateId, route))).status).toBe(200);
    const platform = apiClient(app.baseUrl, await createTestApiKey(null));
    const res = await platform.get<{ mandateId?: string }>(path(b.mandateId, route));
    expect(res.status).toBe(200);
  });

  it("401 without a key, with an unknown key, or with a cookie instead of a key", async () => {
    for (const key of [null, "bk_unknown", "not-even-a-key"]) {
      const res = await apiClient(app.baseUrl, key).get<ErrorBody>(path(a.mandateId, route));
      expect(res.status, String(key)).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
    const res = await fetch(`${app.baseUrl}${path(a.mandateId, route)}`, { headers: { cookie: `key=${keyA}` } });
    expect(res.status).toBe(401);
  });

  it("403 for the key of mandate A on mandate B, revealing nothing of B", async () => {
    const res = await apiClient(app.baseUrl, keyA).get<ErrorBody>(path(b.mandateId, route));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(JSON.stringify(res.body)).not.toContain("2.000000");
  });

  it("404 for an unknown mandate (platform-wide key); 403 for a mandate key", async () => {
    const unknown = randomUUID();
    const platform = await apiClient(app.baseUrl, await createTestApiKey(null)).get<ErrorBody>(path(unknown, route));
    expect(platform.status).toBe(404);
    expect(platform.body.error.code).toBe("NOT_FOUND");
    expect((await apiClient(app.baseUrl, keyA).get(path(unknown, route))).status).toBe(403);
  });

  it("400 for a mandate id that is not a UUID, with the field path", async () => {
    const res = await apiClient(app.baseUrl, keyA).get<ErrorBody>(path("not-a-uuid", route));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: "mandateId" })]);
  });
});
