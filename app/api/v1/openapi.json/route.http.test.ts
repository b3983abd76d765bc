import { describe, expect, it } from "vitest";
import { appServerForThisFile } from "@/testing/app-server";

const app = appServerForThisFile();

describe("GET /api/v1/openapi.json", () => {
  it("serves the OpenAPI 3.1 document without a key", async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toContain("/api/v1/billing/usage");
  });
});
