import { describe, expect, it } from "vitest";
import { formatAmount, MINUS } from "@/lib/i18n/format-money";
import { formatMoney, type DisplayLocale } from "./format";

/*
 * One format per language, written out literally (no Intl, so no ICU version decides): "CHF", a
 * no-break space, then the digits; German groups with an apostrophe (de-CH), English with a comma;
 * a negative amount has the typographic minus after the space.
 */
const NBSP = "\u00a0";
const GROUP: Record<DisplayLocale, string> = { de: "'", en: "," };

describe.each(["de", "en"] as const)("formatMoney(%s)", (locale) => {
  const g = GROUP[locale];

  it.each([
    ["12", `CHF${NBSP}12.00`],
    ["12.5", `CHF${NBSP}12.50`],
    ["12.500000", `CHF${NBSP}12.50`],
    ["0.1", `CHF${NBSP}0.10`],
    ["0", `CHF${NBSP}0.00`],
    ["0.000000", `CHF${NBSP}0.00`],
    ["100.10", `CHF${NBSP}100.10`],
  ])("shows two decimals for %j", (amount, expected) => {
    expect(formatMoney(amount, locale)).toBe(expected);
  });

  it.each([
    ["0.000012", `CHF${NBSP}0.000012`],
    ["0.000012000", `CHF${NBSP}0.000012`],
    ["0.000001", `CHF${NBSP}0.000001`],
    ["0.005", `CHF${NBSP}0.005`],
    ["12.345000", `CHF${NBSP}12.345`],
    ["1.999999", `CHF${NBSP}1.999999`],
  ])("shows up to six decimals for the sub-centime %j", (amount, expected) => {
    expect(formatMoney(amount, locale)).toBe(expected);
  });

  it("groups thousands with the language's separator", () => {
    expect(formatMoney("1408.3", locale)).toBe(`CHF${NBSP}1${g}408.30`);
    expect(formatMoney("1234567.5", locale)).toBe(`CHF${NBSP}1${g}234${g}567.50`);
    expect(formatMoney("1000000000", locale)).toBe(`CHF${NBSP}1${g}000${g}000${g}000.00`);
    expect(formatMoney("1234.567891", locale)).toBe(`CHF${NBSP}1${g}234.567891`);
  });

  it.each([
    ["-0.5", `CHF${NBSP}${MINUS}0.50`],
    ["-12.500000", `CHF${NBSP}${MINUS}12.50`],
    ["-0.000012", `CHF${NBSP}${MINUS}0.000012`],
    ["-0.000100", `CHF${NBSP}${MINUS}0.0001`],
    ["-0.000000", `CHF${NBSP}0.00`],
  ])("shows the negative amount %j with a typographic minus", (amount, expected) => {
    expect(formatMoney(amount, locale)).toBe(expected);
  });

  it("formats the decimal string exactly, not through a float", () => {
    expect(formatMoney("123456789012.345671", locale)).toBe(`CHF${NBSP}123${g}456${g}789${g}012.345671`);
    expect(formatMoney("999999999999999999.999999", locale)).toBe(
      `CHF${NBSP}999${g}999${g}999${g}999${g}999${g}999.999999`,
    );
  });

  it("takes another currency and a column's fixed decimals", () => {
    expect(formatMoney("12.5", locale, "EUR")).toBe(`EUR${NBSP}12.50`);
    expect(formatMoney("12.5", locale, "CHF", 6)).toBe(`CHF${NBSP}12.500000`);
  });

  // The overview, settings, payments and plans pages all show the pool's figures through this.
  it("is the same text the tables' formatter writes", () => {
    for (const amount of ["1408.3", "-20366.5", "0.000012", "50"]) {
      expect(formatMoney(amount, locale)).toBe(formatAmount(amount, locale, { currency: "CHF" }));
    }
  });
});

describe("the two languages", () => {
  it("differ only in the grouping, as the issue asks (de-CH CHF 1'408.30, en CHF 1,408.30)", () => {
    expect(formatMoney("1408.3", "de")).toBe(`CHF${NBSP}1'408.30`);
    expect(formatMoney("1408.3", "en")).toBe(`CHF${NBSP}1,408.30`);
  });
});
