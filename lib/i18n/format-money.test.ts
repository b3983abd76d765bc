import { describe, expect, it } from "vitest";
import { createI18n } from "./create-i18n";
import { columnDecimals, decimalsNeeded, formatAmount, formatCount, formatNumber, MINUS } from "./format-money";

const NBSP = "\u00a0";

describe("formatAmount in German (de-CH)", () => {
  it.each([
    ["1408.3", "1'408.30"],
    ["1408.300000", "1'408.30"],
    ["20366", "20'366.00"],
    ["1234567.5", "1'234'567.50"],
    ["0.000012", "0.000012"],
    ["0", "0.00"],
    ["-0.000000", "0.00"],
    ["-1408.30", `${MINUS}1'408.30`],
    ["999.999999", "999.999999"],
  ])("%s → %s", (amount, text) => {
    expect(formatAmount(amount, "de")).toBe(text);
  });

  it("prefixes the currency and signs credits with a plus when asked", () => {
    expect(formatAmount("1408.3", "de", { currency: "CHF" })).toBe(`CHF${NBSP}1'408.30`);
    expect(formatAmount("50", "de", { sign: "always" })).toBe("+50.00");
    expect(formatAmount("0", "de", { sign: "always" })).toBe("0.00");
  });
});

describe("formatAmount in English", () => {
  it.each([
    ["1408.3", "1,408.30"],
    ["20366", "20,366.00"],
    ["1234567.5", "1,234,567.50"],
    ["0.000012", "0.000012"],
    ["-1408.30", `${MINUS}1,408.30`],
    ["12.5", "12.50"],
  ])("%s → %s", (amount, text) => {
    expect(formatAmount(amount, "en")).toBe(text);
  });

  it("prefixes the currency", () => {
    expect(formatAmount("-20366.5", "en", { currency: "CHF", sign: "always" })).toBe(`CHF${NBSP}${MINUS}20,366.50`);
  });
});

describe("one number of decimals down a column", () => {
  it("is what the most precise amount needs, 2 to 6", () => {
    expect(columnDecimals(["12.500000", "3.000000"])).toBe(2);
    expect(columnDecimals(["12.500000", "0.000012", "1.5"])).toBe(6);
    expect(columnDecimals(["0.125000", "10"])).toBe(3);
    expect(columnDecimals([])).toBe(2);
    expect(decimalsNeeded("0.1234567")).toBe(6);
  });

  it("pads every amount of the column to it, so the decimal points line up", () => {
    const column = ["1408.3", "0.000012", "-2.5"];
    const decimals = columnDecimals(column);
    const texts = column.map((amount) => formatAmount(amount, "de", { decimals, sign: "always" }));
    expect(texts).toEqual(["+1'408.300000", "+0.000012", `${MINUS}2.500000`]);
    expect(new Set(texts.map((text) => text.length - text.indexOf(".")))).toEqual(new Set([7]));
  });

  it("rounds half to even when fewer decimals are asked for", () => {
    expect(formatAmount("0.125", "en", { decimals: 2 })).toBe("0.12");
    expect(formatAmount("0.135", "en", { decimals: 2 })).toBe("0.14");
    expect(formatAmount("0.1251", "en", { decimals: 2 })).toBe("0.13");
    expect(formatAmount("999.995", "de", { decimals: 2 })).toBe("1'000.00");
    expect(formatAmount("-0.004", "de", { decimals: 2 })).toBe("0.00");
  });

  it("refuses what is not a decimal string", () => {
    expect(() => formatAmount("1e3", "de")).toThrow();
    expect(() => formatAmount("", "en")).toThrow();
  });
});

describe("formatCount", () => {
  it.each([
    [20366, "de", "20'366"],
    [20366, "en", "20,366"],
    [999, "de", "999"],
    [1000000, "en", "1,000,000"],
    [0, "de", "0"],
    [-1234, "en", `${MINUS}1,234`],
  ] as const)("%d in %s → %s", (value, locale, text) => {
    expect(formatCount(value, locale)).toBe(text);
  });
});

describe("formatNumber", () => {
  it.each([
    ["15", "de", 0, "15"],
    ["15.00", "de", 2, "15.00"],
    ["12.5", "en", 0, "12.5"],
    ["1536.25", "de", 0, "1'536.25"],
    ["1536.25", "en", 0, "1,536.25"],
    ["2048.000000", "en", 0, "2,048"],
    ["-0.1234567", "de", 0, `${MINUS}0.123457`],
  ] as const)("%s in %s (at least %d decimals) → %s", (value, locale, min, text) => {
    expect(formatNumber(value, locale, min)).toBe(text);
  });
});

describe("counts inside translated strings ({{count, number}})", () => {
  it("use the same format, not i18next's Intl (which writes German counts as 20.366)", () => {
    expect(createI18n("de").t("billing:transactions.export.done", { count: 20366 })).toBe("20'366 Zeilen exportiert.");
    expect(createI18n("en").t("billing:transactions.export.done", { count: 20366 })).toBe("Exported 20,366 rows.");
  });
});
