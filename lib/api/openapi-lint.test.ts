import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

/**
 * Client generators need what Redocly's recommended rules ask for (operationIds, tags, 4xx
 * responses, valid examples): the generated document passes them with no error and no warning.
 */
describe("OpenAPI document lint (Redocly recommended)", () => {
  it("has no problems", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({
      source: JSON.stringify(buildOpenApiDocument()),
      absoluteRef: "openapi.json",
      config,
    });
    const report = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ""}`);
    expect(report).toEqual([]);
  });
});
