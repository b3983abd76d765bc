import { prisma } from "@/lib/db/client";
import { rollupUsage } from "@/lib/stats/rollup-usage";

/**
 * Rolls up until no debit of the given mandates is queued any more, for tests and scripts that
 * need usage_statistics complete. Other workers may hold some of those queue rows (SKIP LOCKED
 * passes them over), so it keeps rolling up and looking until they have committed theirs.
 */
export async function waitForRollup(mandateIds: string[], opts: { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    await rollupUsage({ maxBatches: 1_000 });
    const [row] = await prisma.$queryRaw<{ queued: number }[]>`
      SELECT coalesce(sum(q.transaction_count), 0)::int AS queued
        FROM usage_rollup_queue q JOIN billing_account a ON a.id = q.account_id
       WHERE a.mandate_id = ANY(${mandateIds}::uuid[])`;
    if ((row?.queued ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.queued} debits still queued for the roll-up`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
