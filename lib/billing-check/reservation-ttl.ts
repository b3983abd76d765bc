import { z } from "zod";
import { DomainError } from "@/lib/errors";

/**
 * How long a reservation holds money when the caller does not say. Long enough for a slow AI
 * call and its usage report, short enough that a gateway that never reports frees the money soon.
 */
export const DEFAULT_RESERVATION_TTL_SECONDS = 300;
/** Longer holds would let a stuck caller block a mandate's budget for too long. */
const MAX_RESERVATION_TTL_SECONDS = 3600;

/** Whole seconds, 1 to MAX_RESERVATION_TTL_SECONDS: the API's schema and the billing check's own check. */
export const ReservationTtlSeconds = z.int().min(1).max(MAX_RESERVATION_TTL_SECONDS);

/** The TTL asked for, or the default; VALIDATION_FAILED when it is out of range. */
export function reservationTtlSeconds(requested: number | undefined): number {
  const ttl = requested ?? DEFAULT_RESERVATION_TTL_SECONDS;
  if (!ReservationTtlSeconds.safeParse(ttl).success) {
    throw new DomainError("VALIDATION_FAILED", `reservationTtlSeconds must be 1-${MAX_RESERVATION_TTL_SECONDS}`, [
      { path: "reservationTtlSeconds", message: "out of range" },
    ]);
  }
  return ttl;
}
