import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "@/lib/testing/app-server";

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer();
}, 600_000);
afterAll(async () => app?.stop());

describe("GET /api/health", () => {
  it("reports the database reachable and migrated", async () => {
    const res = await fetch(`${app.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});
