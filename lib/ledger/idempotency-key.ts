import { z } from "zod";
import { DomainError } from "@/lib/errors";

/**
 * Every money-moving call carries an idempotency key, unique per account: a retry with the same
 * key books nothing new. A key is 1-200 printable ASCII characters, no spaces. The API validates
 * with the schema; the ledger and the billing check check again (requireIdempotencyKey), since
 * not every caller comes through the API.
 */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export const IdempotencyKey = z
  .string()
  .regex(IDEMPOTENCY_KEY, "must be 1-200 printable ASCII characters")
  .meta({ description: "Unique per mandate and operation; a retry with the same key books nothing new" });

export function requireIdempotencyKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new DomainError("VALIDATION_FAILED", "idempotencyKey must be 1-200 printable ASCII characters", [
      { path: "idempotencyKey", message: "invalid" },
    ]);
  }
  return key;
}
