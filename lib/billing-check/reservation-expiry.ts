import { queryNamed } from "@/lib/db/pg-pool";
import { startPeriodicTask } from "@/lib/jobs/periodic-task";

/**
 * Marks OPEN reservations past their expires_at as EXPIRED (billing_reservation_expire, migration
 * *_reservation_expiry_sweep). Only a label: an expired hold stops counting against the balance
 * at expires_at whether or not it is marked, and a usage debit still captures it afterwards.
 * Returns how many were marked; runs until none is left, at most `batchSize` per statement.
 */
export const EXPIRY_BATCH_SIZE = 5_000;
export const EXPIRY_INTERVAL_MS = 1_000;

export async function expireReservations(batchSize = EXPIRY_BATCH_SIZE): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await queryNamed<{ marked: number }>(
      "billing_reservation_expire",
      "SELECT billing_reservation_expire($1::int) AS marked",
      [batchSize],
    );
    const marked = row?.marked ?? 0;
    total += marked;
    if (marked < batchSize) return total;
  }
}

/** The sweep every second in the Next server (instrumentation.ts); safe in several processes. */
export function startReservationExpiryRunner(opts: { intervalMs?: number } = {}): () => Promise<void> {
  return startPeriodicTask("reservation expiry", () => expireReservations(), {
    intervalMs: opts.intervalMs ?? EXPIRY_INTERVAL_MS,
  });
}
