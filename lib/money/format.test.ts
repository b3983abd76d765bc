import { describe, expect, it } from "vitest";
import { formatMoney, type DisplayLocale } from "./format";

/*
 * Expected strings are what ICU prints for de-CH/en-CH on Node 20: the "CHF" prefix, a
 * no-break space (U+00A0) before a positive amount, the minus right after "CHF", and an
 * apostrophe as the thousands separator. Older CLDR data prints U+0027, newer U+2019, so the
 * separator is read from Intl itself; everything else is asserted literally.
 */
const NBSP = "\u00a0";

function groupSeparator(locale: string): string {
  const part = new Intl.NumberFormat(locale).formatToParts(1234567).find((p) => p.type === "group");
  if (!part) throw new Error(`no group separator for ${locale}`);
  return part.value;
}

// en-CH writes the euro sign where de-CH writes the ISO code.
const LOCALES: { locale: DisplayLocale; intl: string; euro: string }[] = [
  { locale: "de", intl: "de-CH", euro: `EUR${NBSP}12.50` },
  { locale: "en", intl: "en-CH", euro: "€12.50" },
];

describe.each(LOCALES)("formatMoney($locale)", ({ locale, intl, euro }) => {
  const g = groupSeparator(intl);

  it("uses an apostrophe as the thousands separator", () => {
    expect(["'", "\u2019"]).toContain(g);
  });

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
    ["0.999999", `CHF${NBSP}0.999999`],
  ])("shows up to six decimals for the sub-centime %j", (amount, expected) => {
    expect(formatMoney(amount, locale)).toBe(expected);
  });

  it("groups thousands", () => {
    expect(formatMoney("1234567.5", locale)).toBe(`CHF${NBSP}1${g}234${g}567.50`);
    expect(formatMoney("1000000000", locale)).toBe(`CHF${NBSP}1${g}000${g}000${g}000.00`);
    expect(formatMoney("1234.567891", locale)).toBe(`CHF${NBSP}1${g}234.567891`);
  });

  it.each([
    ["-0.5", "CHF-0.50"],
    ["-12.500000", "CHF-12.50"],
    ["-0.000012", "CHF-0.000012"],
    ["-0.000100", "CHF-0.0001"],
  ])("shows the negative amount %j with a minus", (amount, expected) => {
    expect(formatMoney(amount, locale)).toBe(expected);
  });

  it("shows a negative amount with thousands", () => {
    expect(formatMoney("-1234.5", locale)).toBe(`CHF-1${g}234.50`);
  });

  // A float would print 123456789012.34567 as ...12.345669 or similar; the string overload is exact.
  it("formats the decimal string exactly, not through a float", () => {
    expect(formatMoney("123456789012.345671", locale)).toBe(`CHF${NBSP}123${g}456${g}789${g}012.345671`);
    expect(formatMoney("999999999999999999.999999", locale)).toBe(
      `CHF${NBSP}999${g}999${g}999${g}999${g}999${g}999.999999`,
    );
  });

  it("takes another currency", () => {
    expect(formatMoney("12.5", locale, "EUR")).toBe(euro);
    expect(formatMoney("0.000012", locale, "EUR")).toContain("0.000012");
  });
});
