import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db/generated/client";
import {
  MAX_BOOKING_AMOUNT,
  Money,
  MoneyFormatError,
  add,
  compare,
  isNegative,
  max,
  mulRate,
  parseMoney,
  readDecimal,
  requireMoneyString,
  roundForPosting,
  sub,
  toMoney,
  toMoneyString,
  toPlainString,
} from "./money";

describe("parseMoney", () => {
  it.each([
    ["0", "0.000000"],
    ["1", "1.000000"],
    ["12.5", "12.500000"],
    ["0.000012", "0.000012"],
    ["0.000001", "0.000001"],
    ["123456789.123456", "123456789.123456"],
    ["999999999.999999", "999999999.999999"],
    [MAX_BOOKING_AMOUNT, "1000000000.000000"],
    ["1000000000.000000", "1000000000.000000"],
  ])("parses %j exactly", (input, expected) => {
    const amount = parseMoney(input);
    expect(amount).toBeInstanceOf(Money);
    expect(toMoneyString(amount)).toBe(expected);
  });

  it.each([["1.0000001"], ["0.0000001"], ["0.1234567"], ["12.5000000"]])(
    "rejects %j (more than six decimals)",
    (input) => {
      expect(() => parseMoney(input)).toThrow(MoneyFormatError);
      expect(() => parseMoney(input, { signed: true })).toThrow(MoneyFormatError);
    },
  );

  it.each([["1e3"], ["1E3"], ["1e-6"], ["12.5e1"], ["-1e3"]])("rejects the exponent form %j", (input) => {
    expect(() => parseMoney(input)).toThrow(MoneyFormatError);
    expect(() => parseMoney(input, { signed: true })).toThrow(MoneyFormatError);
  });

  it.each([
    ["NaN"],
    ["Infinity"],
    ["-Infinity"],
    [""],
    [" 1"],
    ["1 "],
    ["+1"],
    ["01"],
    ["1."],
    [".5"],
    ["1,5"],
    ["1'000"],
    ["0x10"],
    ["--1"],
    ["1-"],
    ["abc"],
  ])("rejects the non-decimal %j", (input) => {
    expect(() => parseMoney(input)).toThrow(MoneyFormatError);
    expect(() => parseMoney(input, { signed: true })).toThrow(MoneyFormatError);
  });

  it("rejects negative amounts unless signed is asked for", () => {
    expect(() => parseMoney("-1")).toThrow(MoneyFormatError);
    expect(() => parseMoney("-0.000012")).toThrow(MoneyFormatError);
    expect(() => parseMoney("-0.000012", { signed: false })).toThrow(MoneyFormatError);
    expect(toMoneyString(parseMoney("-0.000012", { signed: true }))).toBe("-0.000012");
    expect(toMoneyString(parseMoney("-12.5", { signed: true }))).toBe("-12.500000");
    expect(toMoneyString(parseMoney("12.5", { signed: true }))).toBe("12.500000");
  });

  it.each([
    ["1000000000.000001"],
    ["1000000001"],
    ["999999999999999999"],
    ["999999999999999999.999999"],
    ["1000000000000000000"],
    ["123456789012345678901234567890"],
  ])("rejects the huge amount %j", (input) => {
    expect(() => parseMoney(input)).toThrow(MoneyFormatError);
    expect(() => parseMoney(input, { signed: true })).toThrow(MoneyFormatError);
    expect(() => parseMoney(`-${input}`, { signed: true })).toThrow(MoneyFormatError);
  });

  it("accepts the maximum negated when signed", () => {
    expect(toMoneyString(parseMoney(`-${MAX_BOOKING_AMOUNT}`, { signed: true }))).toBe("-1000000000.000000");
  });
});

describe("requireMoneyString", () => {
  it("answers the ledger's spelling and refuses zero unless it is allowed", () => {
    expect(requireMoneyString("12.5")).toBe("12.500000");
    expect(requireMoneyString("-0.5", { signed: true })).toBe("-0.500000");
    expect(requireMoneyString("0", { allowZero: true })).toBe("0.000000");
    expect(() => requireMoneyString("0")).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });

  it("names the field it refuses", () => {
    expect(() => requireMoneyString("1e3", { path: "estimatedCost" })).toThrow(
      expect.objectContaining({
        code: "VALIDATION_FAILED",
        details: [expect.objectContaining({ path: "estimatedCost" })],
      }),
    );
  });
});

describe("readDecimal (typed into a form)", () => {
  it.each([
    ["12.5", "12.5"],
    ["007.50", "7.5"],
    ["0", "0"],
    ["100000.000001", "100000.000001"],
    ["999999999999999999999999", "999999999999999999999999"],
  ])("reads %j exactly", (input, expected) => {
    const read = readDecimal(input);
    expect(read.ok && toPlainString(read.amount)).toBe(expected);
  });

  it.each([["1e3"], ["NaN"], ["Infinity"], ["1,5"], ["1'000"], ["+5"], [".5"], ["5."], [""], [" 1"], ["--1"]])(
    "refuses %j as not a decimal",
    (input) => {
      expect(readDecimal(input, { signed: true })).toEqual({ ok: false, issue: "format" });
    },
  );

  it("refuses a minus unless signed is asked for", () => {
    expect(readDecimal("-1")).toEqual({ ok: false, issue: "format" });
    const read = readDecimal("-007.5", { signed: true });
    expect(read.ok && toPlainString(read.amount)).toBe("-7.5");
  });

  it("counts decimals as digits, never as a float", () => {
    expect(readDecimal("100000.0000001")).toEqual({ ok: false, issue: "decimals" });
    expect(readDecimal("12.345", { maxDecimals: 2 })).toEqual({ ok: false, issue: "decimals" });
    expect(readDecimal("12.34", { maxDecimals: 2 }).ok).toBe(true);
  });

  it("counts leading zeros among the integer digits it is given room for", () => {
    expect(readDecimal("000000000010", { maxIntegerDigits: 12 }).ok).toBe(true);
    expect(readDecimal("0000000000010", { maxIntegerDigits: 12 })).toEqual({ ok: false, issue: "digits" });
  });

  it("compares without floating point", () => {
    const amount = (value: string) => {
      const read = readDecimal(value);
      if (!read.ok) throw new Error(value);
      return read.amount;
    };
    expect(compare(amount("10"), "9.99")).toBe(1);
    expect(compare(amount("1000.00"), "1000")).toBe(0);
    expect(compare(amount("007"), "7.000001")).toBe(-1);
    expect(compare(amount("123456789012.99"), "999")).toBe(1);
  });
});

describe("toPlainString", () => {
  it.each([
    ["0", 2, "0.00"],
    ["007.5", 2, "7.50"],
    ["50.000000", 2, "50.00"],
    ["12.345000", 2, "12.345"],
    ["0.0000001", 0, "0.0000001"],
    ["-7.50", 0, "-7.5"],
  ])("spells %j with at least %i decimals as %j", (input, decimals, expected) => {
    expect(toPlainString(input, decimals)).toBe(expected);
  });
});

describe("add and sub", () => {
  it("one million times 0.000012 sums to exactly 12.000000", () => {
    const step = parseMoney("0.000012");
    let total = parseMoney("0");
    for (let i = 0; i < 1_000_000; i++) total = add(total, step);
    expect(toMoneyString(total)).toBe("12.000000");
    for (let i = 0; i < 1_000_000; i++) total = sub(total, step);
    expect(toMoneyString(total)).toBe("0.000000");
  });

  it("is exact where binary floating point is not", () => {
    expect(toMoneyString(add("0.1", "0.2"))).toBe("0.300000");
    expect(toMoneyString(sub("0.3", "0.1"))).toBe("0.200000");
    expect(toMoneyString(sub("0.000001", "0.000002"))).toBe("-0.000001");
    expect(toMoneyString(add("-0.000012", "0.000012"))).toBe("0.000000");
    expect(toMoneyString(sub("100.5", "100.499988"))).toBe("0.000012");
  });

  it("keeps all 30 digits of a numeric(30,6) given as strings", () => {
    expect(toMoneyString(add("999999999999999999999998.999999", "0.000001"))).toBe("999999999999999999999999.000000");
    expect(toMoneyString(sub("-999999999999999999999998.999999", "0.000001"))).toBe("-999999999999999999999999.000000");
    expect(toMoneyString(add("123456789012345678901234.123456", "0.000001"))).toBe("123456789012345678901234.123457");
  });

  // Prisma returns numeric columns as Prisma.Decimal (20 significant digits, half-up);
  // MoneyInput accepts them, so arithmetic on them must still be exact.
  it("keeps all 30 digits of a numeric(30,6) given as Prisma.Decimal", () => {
    const big = new Prisma.Decimal("123456789012345678901234.123456");
    expect(toMoneyString(big)).toBe("123456789012345678901234.123456");
    expect(toMoneyString(add(big, "0.000001"))).toBe("123456789012345678901234.123457");
    expect(toMoneyString(sub(big, new Prisma.Decimal("0.000001")))).toBe("123456789012345678901234.123455");
    expect(toMoneyString(add("0.000001", big))).toBe("123456789012345678901234.123457");
  });

  it("accepts Money, Prisma.Decimal and strings alike", () => {
    expect(toMoneyString(add(new Prisma.Decimal("1.5"), parseMoney("0.000012")))).toBe("1.500012");
    expect(toMoneyString(sub(parseMoney("1.5"), new Prisma.Decimal("0.000012")))).toBe("1.499988");
    expect(toMoney("1.5")).toBeInstanceOf(Money);
  });
});

describe("mulRate and roundForPosting", () => {
  it.each([
    ["0.0000125", "1", "0.000012"],
    ["0.0000135", "1", "0.000014"],
    ["0.0000145", "1", "0.000014"],
    ["0.0000155", "1", "0.000016"],
    ["0.00001251", "1", "0.000013"],
    ["0.00001249", "1", "0.000012"],
    ["-0.0000125", "1", "-0.000012"],
    ["-0.0000135", "1", "-0.000014"],
    ["0.000012", "1.5", "0.000018"],
    ["0.000001", "0.5", "0.000000"],
    ["0.000003", "0.5", "0.000002"],
    ["0.000005", "0.5", "0.000002"],
    ["0.000007", "0.5", "0.000004"],
    ["10", "1.2", "12.000000"],
    ["0.000025", "0.1", "0.000002"],
    ["0.000035", "0.1", "0.000004"],
    // 1000000999.999998999999: 22 significant digits, more than decimal.js's default 20.
    ["999999999.999999", "1.000001", "1000000999.999999"],
    ["75620195.993258", "1.456719075", "110157381.958617"],
  ])("%s × %s rounds half-even to %s", (amount, rate, expected) => {
    expect(toMoneyString(mulRate(amount, rate))).toBe(expected);
  });

  // The exact product is 110157381.95861749999635: just below the half, so it rounds down.
  // Rounding first to 20 significant digits (half-up) would make it a tie and round it up.
  it("rounds once, exactly, even when the amount is a Prisma.Decimal", () => {
    expect(toMoneyString(mulRate(new Prisma.Decimal("75620195.993258"), "1.456719075"))).toBe("110157381.958617");
    expect(toMoneyString(mulRate(new Prisma.Decimal("0.0000125"), "1"))).toBe("0.000012");
  });

  it.each([
    ["2.0000005", "2.000000"],
    ["2.0000015", "2.000002"],
    ["2.0000025", "2.000002"],
    ["-2.0000025", "-2.000002"],
    ["2.00000050001", "2.000001"],
    ["12.5", "12.500000"],
    ["-0.0000004", "0.000000"],
  ])("roundForPosting(%s) is %s", (input, expected) => {
    expect(toMoneyString(roundForPosting(input))).toBe(expected);
  });
});

describe("toMoneyString", () => {
  it.each([
    ["0", "0.000000"],
    ["12.5", "12.500000"],
    ["-0.000012", "-0.000012"],
    ["1000000000", "1000000000.000000"],
    ["-0", "0.000000"],
  ])("renders %j as %j", (input, expected) => {
    expect(toMoneyString(input)).toBe(expected);
    expect(toMoneyString(new Money(input))).toBe(expected);
    expect(toMoneyString(new Prisma.Decimal(input))).toBe(expected);
  });

  it("rounds half-even when given more than six decimals", () => {
    expect(toMoneyString(new Money("0.0000125"))).toBe("0.000012");
    expect(toMoneyString(new Money("0.0000135"))).toBe("0.000014");
  });
});

describe("compare, max, isNegative", () => {
  it("compares exactly", () => {
    expect(compare("0.000001", "0.000002")).toBe(-1);
    expect(compare("12.5", "12.500000")).toBe(0);
    expect(compare("-0.000001", "-0.000002")).toBe(1);
    expect(toMoneyString(max("0.000012", "0.000011"))).toBe("0.000012");
    expect(toMoneyString(max("-1", new Prisma.Decimal("-0.5")))).toBe("-0.500000");
  });

  it("treats zero as not negative", () => {
    expect(isNegative("-0.000001")).toBe(true);
    expect(isNegative("0")).toBe(false);
    expect(isNegative("-0")).toBe(false);
    expect(isNegative("0.000001")).toBe(false);
  });
});
