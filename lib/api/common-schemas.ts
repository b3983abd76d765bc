import { z } from "zod";
import { ERROR_CODES } from "@/lib/errors";
import { MAX_BOOKING_AMOUNT, Money, UNSIGNED_DECIMAL } from "@/lib/money/money";

/**
 * Building blocks shared by the API's request/response schemas. One schema serves the route
 * (validation), the dashboard form (where it applies) and the OpenAPI document.
 */

/** An amount in CHF as a decimal string: never a JSON number, so no precision is lost on the way. */
export const MoneyString = z
  .string()
  .regex(UNSIGNED_DECIMAL, 'must be a decimal string with at most 6 decimals, e.g. "0.000012"')
  .refine((value) => !new Money(value).greaterThan(MAX_BOOKING_AMOUNT), {
    message: `must not exceed ${MAX_BOOKING_AMOUNT}`,
  })
  .meta({ description: "Amount in CHF as a decimal string (up to 6 decimals)", example: "0.000012" });

export const PositiveMoneyString = MoneyString.refine((value) => !/^0(\.0*)?$/.test(value), {
  message: "must be greater than zero",
});

export const Uuid = z.uuid({ message: "must be a UUID" });

export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, "must be 1-200 printable ASCII characters")
  .meta({ description: "Unique per mandate and operation; a retry with the same key books nothing new" });

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });
