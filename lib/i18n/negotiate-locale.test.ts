import { describe, expect, it } from "vitest";
import { chooseLocale, negotiateLocale } from "./negotiate-locale";

describe("negotiateLocale", () => {
  it.each([
    ["de-CH,de;q=0.9,en;q=0.8", "de"],
    ["gsw,en;q=0.5", "de"],
    ["fr-CH,fr;q=0.9,de;q=0.8,en;q=0.7", "de"],
    ["fr-CH,fr;q=0.9,en;q=0.8,de;q=0.7", "en"],
    ["en-US,en;q=0.9", "en"],
    ["en;q=0.5,de;q=0.9", "de"],
    ["de;q=0,en", "en"],
    ["it-CH", "en"],
    ["*", "en"],
    ["", "en"],
    [null, "en"],
  ])("%j → %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe("chooseLocale", () => {
  it("prefers the saved choice, then the cookie, then the browser", () => {
    expect(chooseLocale({ userLocale: "en", cookieLocale: "de", acceptLanguage: "de" })).toBe("en");
    expect(chooseLocale({ userLocale: null, cookieLocale: "de", acceptLanguage: "en" })).toBe("de");
    expect(chooseLocale({ userLocale: "xx", cookieLocale: "yy", acceptLanguage: "de-CH" })).toBe("de");
    expect(chooseLocale({})).toBe("en");
  });
});
