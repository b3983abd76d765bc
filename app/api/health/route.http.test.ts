import { describe, expect, it } from "vitest";
import { appServerForThisFile } from "@/testing/app-server";

const app = appServerForThisFile();

describe("GET /api/health", () => {
  it("reports the database reachable and migrated", async () => {
    const res = await fetch(`${app.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});
