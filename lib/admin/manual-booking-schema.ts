import { z } from "zod";
import { isSafeText } from "@/lib/api/safe-text";
import { compare, readDecimal, toMoneyString } from "@/lib/money/money";

/**
 * The manual booking form on /admin/mandates/[mandateId]. Amounts are read by lib/money's one
 * reader of typed-in decimals, in the browser as on the server, never as a JavaScript number (a
 * float would misjudge "0.0000001" or "100000.000001"). The ledger parses the canonical string
 * again. Messages are codes of `billing:admin.validation.<code>`. Safe in the browser.
 */
export const MANUAL_BOOKING_TYPES = ["CREDIT", "ADJUSTMENT"] as const;
export type ManualBookingType = (typeof MANUAL_BOOKING_TYPES)[number];

/** Largest |amount| of one manual booking: a typo of a few zeros should not move real money. */
const MAX_MANUAL_AMOUNT = "100000";

export type AmountIssue = "amountRequired" | "amountFormat" | "amountDecimals" | "amountZero" | "amountTooLarge";

/** Why an amount string is not a bookable manual amount (sign rules aside), or null. */
export function manualAmountIssue(value: string): AmountIssue | null {
  if (value === "") return "amountRequired";
  const read = readDecimal(value, { signed: true });
  if (!read.ok) return read.issue === "decimals" ? "amountDecimals" : "amountFormat";
  if (read.amount.isZero()) return "amountZero";
  return compare(read.amount.abs(), MAX_MANUAL_AMOUNT) > 0 ? "amountTooLarge" : null;
}

/** The form's fields (lib/forms/read-form.ts). */
export const MANUAL_BOOKING_FORM_FIELDS = { type: "", amount: "", reason: "", idempotencyKey: "" } as const;

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
      // The ledger's spelling ("-007.5" → "-7.500000"); only reached by a valid amount.
      .transform(toMoneyString),
    reason: z
      .string({ error: "reasonLength" })
      .trim()
      .min(3, { error: "reasonLength" })
      .max(500, { error: "reasonLength" })
      .refine(isSafeText, { error: "invalid" }),
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
