import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/forms/form-state";
import { ManualBookingInput, manualAmountIssue } from "./manual-booking-schema";

function parse(input: Partial<Record<"type" | "amount" | "reason" | "idempotencyKey", string>>) {
  return ManualBookingInput.safeParse({
    type: "CREDIT",
    amount: "10",
    reason: "Goodwill credit",
    idempotencyKey: randomUUID(),
    ...input,
  });
}

/** The inline error code a form would show per field. */
function errors(input: Parameters<typeof parse>[0]): Record<string, string | undefined> {
  const result = parse(input);
  const fields = result.success ? {} : fieldErrors(result.error);
  return Object.fromEntries(Object.entries(fields).map(([field, error]) => [field, error?.code]));
}

describe("ManualBookingInput", () => {
  it("accepts a credit with six decimals and keeps the amount an exact string", () => {
    const result = parse({ amount: " 12.345678 ", reason: "  Top-up by invoice 42  " });
    expect(result.success && result.data).toMatchObject({
      type: "CREDIT",
      amount: "12.345678",
      reason: "Top-up by invoice 42",
    });
  });

  it("accepts a signed adjustment and spells it in the ledger's format", () => {
    const result = parse({ type: "ADJUSTMENT", amount: "-007.50" });
    expect(result.success && result.data.amount).toBe("-7.500000");
  });

  it.each([
    ["0", "amountZero"],
    ["0.000000", "amountZero"],
    ["-0", "amountZero"],
    ["", "amountRequired"],
    ["   ", "amountRequired"],
    ["1.1234567", "amountDecimals"],
    ["0.0000001", "amountDecimals"],
    ["NaN", "amountFormat"],
    ["Infinity", "amountFormat"],
    ["1e3", "amountFormat"],
    ["1,5", "amountFormat"],
    ["1'000", "amountFormat"],
    ["+5", "amountFormat"],
    [".5", "amountFormat"],
    ["5.", "amountFormat"],
    ["100000.000001", "amountTooLarge"],
    ["100001", "amountTooLarge"],
    ["999999999999999999999999", "amountTooLarge"],
    ["-100000.5", "amountTooLarge"],
  ])("refuses the amount %j (%s) for either type", (amount, issue) => {
    expect(errors({ amount }).amount).toBe(issue);
    expect(errors({ amount, type: "ADJUSTMENT" }).amount).toBe(issue);
  });

  it("allows exactly the bound, either sign for an adjustment", () => {
    expect(parse({ amount: "100000" }).success).toBe(true);
    expect(parse({ amount: "100000.000000" }).success).toBe(true);
    expect(parse({ type: "ADJUSTMENT", amount: "-100000" }).success).toBe(true);
  });

  it("refuses a negative credit but books a negative adjustment", () => {
    expect(errors({ amount: "-5" }).amount).toBe("creditPositive");
    expect(parse({ type: "ADJUSTMENT", amount: "-5" }).success).toBe(true);
  });

  it("requires a reason of 3 to 500 characters, after trimming", () => {
    expect(errors({ reason: "" }).reason).toBe("reasonLength");
    expect(errors({ reason: "   ab  " }).reason).toBe("reasonLength");
    expect(errors({ reason: "x".repeat(501) }).reason).toBe("reasonLength");
    expect(parse({ reason: "x".repeat(500) }).success).toBe(true);
    expect(errors({ reason: "Goodwill\u0000credit" }).reason).toBe("invalid");
    expect(errors({ reason: "Goodwill\u001bcredit" }).reason).toBe("invalid");
    expect(ManualBookingInput.safeParse({ type: "CREDIT", amount: "1", idempotencyKey: randomUUID() }).success).toBe(
      false,
    );
  });

  it("marks every wrong field in one round, including a negative credit next to a missing reason", () => {
    expect(errors({ amount: "-5", reason: "", idempotencyKey: "not-a-uuid", type: "CREDIT" })).toEqual({
      amount: "creditPositive",
      reason: "reasonLength",
      idempotencyKey: "idempotencyKey",
    });
  });

  it("refuses other transaction types: a DEBIT is usage, not an admin booking", () => {
    expect(errors({ type: "DEBIT" }).type).toBe("type");
  });

  it("manualAmountIssue never reads the amount as a float", () => {
    // 100000.0000001 would be 100000 as a float (within the bound); as digits it has 7 decimals.
    expect(manualAmountIssue("100000.0000001")).toBe("amountDecimals");
    expect(manualAmountIssue("0.000001")).toBeNull();
  });
});
