import { z } from "zod";
import { MAX_BOOKING_AMOUNT, Money, SIGNED_DECIMAL, UNSIGNED_DECIMAL } from "./money";

/**
 * Amounts on the wire, as zod schemas for the API's requests and answers (and its OpenAPI
 * document): never a JSON number, so no precision is lost on the way. The same spelling
 * parseMoney accepts.
 */

/** An amount in CHF as a decimal string. */
export const MoneyString = z
  .string()
  .regex(UNSIGNED_DECIMAL, 'must be a decimal string with at most 6 decimals, e.g. "0.000012"')
  // zod runs this check after a failed regex too: only a decimal may reach new Money (it throws).
  .refine((value) => !UNSIGNED_DECIMAL.test(value) || !new Money(value).greaterThan(MAX_BOOKING_AMOUNT), {
    message: `must not exceed ${MAX_BOOKING_AMOUNT}`,
  })
  .meta({ description: "Amount in CHF as a decimal string (up to 6 decimals)", example: "0.000012" });

export const PositiveMoneyString = MoneyString.refine((value) => !/^0(\.0*)?$/.test(value), {
  message: "must be greater than zero",
});

/** A balance, which usage may take below zero. */
export const SignedMoneyString = z
  .string()
  .regex(SIGNED_DECIMAL)
  .meta({ description: "Amount in CHF as a decimal string; may be negative", example: "12.500000" });
