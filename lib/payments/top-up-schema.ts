import { z } from "zod";
import { compare, readDecimal, toPlainString } from "@/lib/money/money";

/**
 * A top-up as the form and its action take it. Safe in the browser (no server imports); amounts are
 * read and compared by lib/money. Messages are codes of `billing:topUp.validation.<code>`.
 */

/** The preset buttons of the top-up page, CHF. */
export const TOP_UP_PRESETS = ["20", "50", "100", "500"] as const;

/** The custom amount's bounds, CHF: TOP_UP_MIN_CHF / TOP_UP_MAX_CHF on the server, else these. */
export const DEFAULT_TOP_UP_LIMITS = { min: "10", max: "5000" } as const;
export type TopUpLimits = { min: string; max: string };

export const TOP_UP_VALIDATION_CODES = ["amount", "invalid"] as const;

export function topUpInput(limits: TopUpLimits) {
  return z.object({
    amount: z
      .string({ error: "amount" })
      .trim()
      .refine(
        (value) => {
          // Whole Rappen: Stripe charges CHF in minor units.
          const read = readDecimal(value, { maxDecimals: 2, maxIntegerDigits: 12 });
          return read.ok && compare(read.amount, limits.min) >= 0 && compare(read.amount, limits.max) <= 0;
        },
        { error: "amount" },
      )
      .transform((value) => toPlainString(value, 2)),
    /** Keep the card for automatic recharge (off-session charges later). */
    saveCard: z.boolean({ error: "invalid" }),
  });
}

export type TopUpInput = z.output<ReturnType<typeof topUpInput>>;

/** The form's fields (lib/forms/read-form.ts). */
export const TOP_UP_FORM_FIELDS = { amount: "", saveCard: false } as const;
