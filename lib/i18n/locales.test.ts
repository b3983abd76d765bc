import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "@/lib/errors";
import { LOCALES, NAMESPACES } from "./config";
import { getTranslator } from "./get-translator";
import { RESOURCES } from "./resources";

/** Every leaf key of a resource file, as "a.b.c", with its value. */
function leaves(node: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      for (const [k, v] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

describe("locales", () => {
  it("ships exactly the configured namespaces for each language", () => {
    for (const locale of LOCALES) {
      const files = readdirSync(path.join("locales", locale)).filter((f) => f.endsWith(".json"));
      expect(files.map((f) => f.replace(/\.json$/, "")).sort()).toEqual([...NAMESPACES].sort());
    }
  });

  it.each(NAMESPACES)("%s: German and English have the same keys, all non-empty strings", (ns) => {
    const de = leaves(RESOURCES.de[ns]);
    const en = leaves(RESOURCES.en[ns]);
    expect([...de.keys()].sort()).toEqual([...en.keys()].sort());
    for (const map of [de, en]) {
      for (const [key, value] of map) expect(typeof value === "string" && value.trim() !== "", key).toBe(true);
    }
  });

  it.each(LOCALES)("%s: every ErrorCode has errors.<code>, and there are no stale ones", (locale) => {
    expect(Object.keys(RESOURCES[locale].errors).sort()).toEqual([...ERROR_CODES].sort());
  });

  it("translates through the server translator, with interpolation", () => {
    expect(getTranslator("de", "errors")("NOT_FOUND")).toBe("Nicht gefunden.");
    expect(getTranslator("en")("header.signedInAs", { email: "a@b.ch" })).toBe("Signed in as a@b.ch");
    expect(getTranslator("de")("nav.settings")).toBe("Einstellungen");
  });
});
