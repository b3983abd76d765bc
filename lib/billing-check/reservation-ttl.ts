/**
 * How long a reservation holds money when the caller does not say. Long enough for a slow AI
 * call and its usage report, short enough that a gateway that never reports frees the money soon.
 */
export const DEFAULT_RESERVATION_TTL_SECONDS = 300;
/** Longer holds would let a stuck caller block a mandate's budget for too long. */
export const MAX_RESERVATION_TTL_SECONDS = 3600;
