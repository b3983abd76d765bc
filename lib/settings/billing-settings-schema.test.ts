import { describe, expect, it } from "vitest";
import {
  BillingSettingsInput,
  BILLING_SETTINGS_FORM_FIELDS,
  formValuesToInput,
  settingsDecimal,
  type BillingSettingsInput as Input,
} from "./billing-settings-schema";
import { fieldErrors } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";

const VALID: Input = {
  warningThresholdPercent: "10",
  notifyOnWarning: true,
  notifyEmails: ["owner@example.ch"],
  locale: "de",
  autoRechargeEnabled: false,
  rechargeAmountCHF: "50",
  rechargeMaxPerMonth: 3,
};

/** The validation code of each failing field, as the form will show it. */
function errorsOf(input: Partial<Record<keyof Input, unknown>>): Record<string, string | undefined> {
  const parsed = BillingSettingsInput.safeParse({ ...VALID, ...input });
  if (parsed.success) return {};
  return Object.fromEntries(Object.entries(fieldErrors(parsed.error, input)).map(([k, v]) => [k, v?.code]));
}

describe("BillingSettingsInput", () => {
  it("accepts valid settings and spells them canonically", () => {
    expect(
      BillingSettingsInput.parse({ ...VALID, warningThresholdPercent: " 007.5 ", rechargeMaxPerMonth: "12" }),
    ).toEqual({
      ...VALID,
      warningThresholdPercent: "7.50",
      rechargeAmountCHF: "50.00",
      rechargeMaxPerMonth: 12,
    });
  });

  it.each([
    ["0", true],
    ["0.00", true],
    ["100", true],
    ["100.00", true],
    ["99.99", true],
    ["100.01", false],
    ["101", false],
    ["-1", false],
    ["12.345", false],
    ["1e1", false],
    ["12,5", false],
    ["", false],
    ["abc", false],
  ])("warning threshold %j valid: %s", (value, ok) => {
    expect(errorsOf({ warningThresholdPercent: value })).toEqual(ok ? {} : { warningThresholdPercent: "percent" });
  });

  it.each([
    ["de", true],
    ["en", true],
    ["fr", false],
    ["DE", false],
    ["", false],
  ])("e-mail language %j valid: %s", (value, ok) => {
    expect(errorsOf({ locale: value })).toEqual(ok ? {} : { locale: "invalid" });
  });

  it.each([
    ["10", true],
    ["10.00", true],
    ["1000", true],
    ["999.99", true],
    ["9.99", false],
    ["1000.01", false],
    ["0", false],
    ["10.001", false],
    ["0000000000000010", false],
    ["50.5", true],
  ])("recharge amount %j valid: %s", (value, ok) => {
    expect(errorsOf({ rechargeAmountCHF: value })).toEqual(ok ? {} : { rechargeAmountCHF: "rechargeAmount" });
  });

  it("refuses amounts as JSON numbers: decimal strings only", () => {
    expect(errorsOf({ rechargeAmountCHF: 50, warningThresholdPercent: 10 })).toEqual({
      rechargeAmountCHF: "rechargeAmount",
      warningThresholdPercent: "percent",
    });
  });

  it.each([
    [0, true],
    [31, true],
    ["31", true],
    [32, false],
    [-1, false],
    [2.5, false],
    ["2.5", false],
    ["", false],
  ])("recharges per month %j valid: %s", (value, ok) => {
    expect(errorsOf({ rechargeMaxPerMonth: value })).toEqual(ok ? {} : { rechargeMaxPerMonth: "rechargeMax" });
  });

  it("lower-cases, trims and de-duplicates e-mails", () => {
    const parsed = BillingSettingsInput.parse({
      ...VALID,
      notifyEmails: [" Owner@Example.CH ", "owner@example.ch", "billing@example.ch"],
    });
    expect(parsed.notifyEmails).toEqual(["owner@example.ch", "billing@example.ch"]);
  });

  it("names the invalid e-mail in the field error", () => {
    const input = { ...VALID, notifyEmails: ["ok@example.ch", "not-an-email"] };
    const parsed = BillingSettingsInput.safeParse(input);
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      expect(fieldErrors(parsed.error, input)).toEqual({ notifyEmails: { code: "email", value: "not-an-email" } });
    }
    expect(errorsOf({ notifyEmails: ["a@b"] })).toEqual({ notifyEmails: "email" });
    expect(errorsOf({ notifyEmails: "a@b.ch" })).toEqual({ notifyEmails: "invalid" });
  });

  it("allows at most 20 distinct e-mails, counting duplicates once", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `user${i}@example.ch`);
    expect(errorsOf({ notifyEmails: twenty })).toEqual({});
    expect(errorsOf({ notifyEmails: [...twenty, "USER0@example.ch"] })).toEqual({});
    expect(errorsOf({ notifyEmails: [...twenty, "one-more@example.ch"] })).toEqual({ notifyEmails: "tooManyEmails" });
    expect(errorsOf({ notifyEmails: [] })).toEqual({});
  });

  it("requires booleans for the switches", () => {
    expect(errorsOf({ notifyOnWarning: "on", autoRechargeEnabled: undefined })).toEqual({
      notifyOnWarning: "invalid",
      autoRechargeEnabled: "invalid",
    });
  });
});

describe("settingsDecimal", () => {
  it("spells canonically: no leading zeros, at least two decimals", () => {
    expect(settingsDecimal("0")).toBe("0.00");
    expect(settingsDecimal("007.5")).toBe("7.50");
    expect(settingsDecimal("50.000000")).toBe("50.00");
    expect(settingsDecimal("12.345000")).toBe("12.345");
  });
});

describe("the settings form", () => {
  it("reads checkboxes by presence and e-mails one per line (or separated by commas)", () => {
    const form = new FormData();
    form.set("warningThresholdPercent", "15");
    form.set("notifyEmails", "a@example.ch\r\n\n b@example.ch, c@example.ch;");
    form.set("locale", "en");
    form.set("autoRechargeEnabled", "on");
    form.set("rechargeAmountCHF", "20");
    form.set("rechargeMaxPerMonth", "4");
    const input = formValuesToInput(readForm(form, BILLING_SETTINGS_FORM_FIELDS));
    expect(BillingSettingsInput.parse(input)).toEqual({
      warningThresholdPercent: "15.00",
      notifyOnWarning: false,
      notifyEmails: ["a@example.ch", "b@example.ch", "c@example.ch"],
      locale: "en",
      autoRechargeEnabled: true,
      rechargeAmountCHF: "20.00",
      rechargeMaxPerMonth: 4,
    });
  });
});
