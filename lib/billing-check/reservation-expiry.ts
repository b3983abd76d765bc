import { queryNamed } from "@/lib/db/pg-pool";

/**
 * Marks OPEN reservations past their expires_at as EXPIRED, one pool at a time
 * (billing_reservation_expire_account, migration *_baseline). Only a label for the
 * money: an expired hold stops counting against the balance at expires_at whether or not it is
 * marked, and a usage debit still captures it afterwards. What the mark saves is work: a billing
 * check reads the pool's running total of OPEN holds and subtracts the unmarked expired ones, so
 * the fewer of those, the less it reads.
 *
 * Per pool, because the mark changes that running total and so takes the pool lock, as every
 * writer of holds does; one statement over every pool would stall all mandates at once.
 * Returns how many were marked; at most `batchSize` per statement, until a pool has none left.
 * Runs every second as a periodic job (lib/jobs/periodic-jobs.ts).
 */
const EXPIRY_BATCH_SIZE = 500;

export async function expireReservations(batchSize = EXPIRY_BATCH_SIZE): Promise<number> {
  const due = await queryNamed<{ account_id: string }>(
    "billing_reservation_due_accounts",
    // The sweep's partial index over the unsettled holds (billing_reservation_unsettled_expires_at_idx).
    `SELECT DISTINCT account_id FROM billing_reservation WHERE settled_at IS NULL AND expires_at <= now()`,
    [],
  );
  let total = 0;
  for (const { account_id: accountId } of due) {
    for (;;) {
      const [row] = await queryNamed<{ marked: number }>(
        "billing_reservation_expire_account",
        "SELECT billing_reservation_expire_account($1::uuid, $2::int) AS marked",
        [accountId, batchSize],
      );
      const marked = row?.marked ?? 0;
      total += marked;
      if (marked < batchSize) break;
    }
  }
  return total;
}
