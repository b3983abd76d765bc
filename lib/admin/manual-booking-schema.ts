import { z } from "zod";

/**
 * The manual booking form on /admin/mandates/[mandateId]. Amounts stay strings end to end: the
 * checks below look at digits, never at a JavaScript number, because lib/money (decimal.js via
 * Prisma) is server-only and a float would misjudge "0.0000001" or "100000.000001". The ledger
 * parses the canonical string again (lib/ledger parseAmount). Messages are codes of
 * `billing:admin.validation.<code>`. Safe in the browser.
 */
export const MANUAL_BOOKING_TYPES = ["CREDIT", "ADJUSTMENT"] as const;
export type ManualBookingType = (typeof MANUAL_BOOKING_TYPES)[number];

/** Largest |amount| of one manual booking: a typo of a few zeros should not move real money. */
export const MAX_MANUAL_AMOUNT = "100000";
const MAX_DECIMALS = 6;

export type AmountIssue = "amountRequired" | "amountFormat" | "amountDecimals" | "amountZero" | "amountTooLarge";

/** Why an amount string is not a bookable manual amount (sign rules aside), or null. */
export function manualAmountIssue(value: string): AmountIssue | null {
  if (value === "") return "amountRequired";
  // Plain digits only: rejects "1e3", "NaN", "Infinity", "1'000", "1,5", "+5", ".5", "5.".
  const match = /^-?(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return "amountFormat";
  const integer = (match[1] ?? "").replace(/^0+/, "");
  const fraction = match[2] ?? "";
  if (fraction.length > MAX_DECIMALS) return "amountDecimals";
  if (integer === "" && /^0*$/.test(fraction)) return "amountZero";
  const overMax =
    integer.length > MAX_MANUAL_AMOUNT.length ||
    (integer.length === MAX_MANUAL_AMOUNT.length &&
      (integer > MAX_MANUAL_AMOUNT || (integer === MAX_MANUAL_AMOUNT && /[1-9]/.test(fraction))));
  return overMax ? "amountTooLarge" : null;
}

/** "-007.50" → "-7.50": the ledger's money format has no leading zeros. Call on valid amounts only. */
export function canonicalAmount(value: string): string {
  return value.replace(/^(-?)0+(?=\d)/, "$1");
}

export const ManualBookingInput = z
  .object({
    type: z.enum(MANUAL_BOOKING_TYPES, { error: "type" }),
    amount: z
      .string({ error: "amountRequired" })
      .trim()
      .superRefine((value, ctx) => {
        const issue = manualAmountIssue(value);
        if (issue) ctx.addIssue({ code: "custom", message: issue });
      })
      .transform(canonicalAmount),
    reason: z
      .string({ error: "reasonLength" })
      .trim()
      .min(3, { error: "reasonLength" })
      .max(500, { error: "reasonLength" }),
    /** Made when the form is rendered: a double submit carries the same key and books once. */
    idempotencyKey: z.uuid({ error: "idempotencyKey" }),
  })
  .refine((input) => input.type !== "CREDIT" || !input.amount.startsWith("-"), {
    error: "creditPositive",
    path: ["amount"],
    // Also when another field failed, so every wrong field is marked in one round.
    when: (payload) => {
      const value: unknown = payload.value;
      if (!value || typeof value !== "object") return false;
      const { type, amount } = value as { type?: unknown; amount?: unknown };
      return type === "CREDIT" && typeof amount === "string";
    },
  });

export type ManualBookingInput = z.output<typeof ManualBookingInput>;
