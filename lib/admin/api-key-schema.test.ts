import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreateApiKeyInput, RevokeApiKeyInput } from "./api-key-schema";
import { fieldErrors } from "@/lib/forms/form-state";

describe("CreateApiKeyInput / RevokeApiKeyInput", () => {
  it("maps the scope select to a mandate id or null for platform-wide", () => {
    const mandateId = randomUUID();
    expect(CreateApiKeyInput.parse({ name: "Gateway", scope: "platform" })).toEqual({
      name: "Gateway",
      mandateId: null,
    });
    expect(CreateApiKeyInput.parse({ name: " Gateway ", scope: mandateId })).toEqual({ name: "Gateway", mandateId });
  });

  it("refuses a missing name, an unknown scope and a malformed key id", () => {
    const result = CreateApiKeyInput.safeParse({ name: "", scope: "everything" });
    expect(result.success ? {} : fieldErrors(result.error)).toEqual({
      name: { code: "nameLength" },
      scope: { code: "scope" },
    });
    expect(RevokeApiKeyInput.safeParse({ id: "1; DROP TABLE api_key" }).success).toBe(false);
  });

  it("refuses control characters in the name", () => {
    const result = CreateApiKeyInput.safeParse({ name: "Gate\u0000way", scope: "platform" });
    expect(result.success ? {} : fieldErrors(result.error)).toEqual({ name: { code: "invalid" } });
  });
});
