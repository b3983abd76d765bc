import { prisma } from "@/lib/db/client";

/**
 * Moves queued debits into usage_statistics (usage_rollup() in prisma/migrations/*_baseline).
 * Each batch is its own statement and transaction, so a batch's locks on the aggregate rows are
 * held briefly and a failure loses nothing: the batch stays queued for the next run. Safe to run
 * from several processes at once (the queue is drained with FOR UPDATE SKIP LOCKED).
 */
const ROLLUP_BATCH_SIZE = 5_000;
const DEFAULT_MAX_BATCHES = 50;

export interface RollupUsageOptions {
  /** Stop after this many batches even if the queue is not empty (the next run continues). */
  maxBatches?: number;
  batchSize?: number;
}

/** Rolls up queued debits; returns how many it took off the queue. */
export async function rollupUsage(opts: RollupUsageOptions = {}): Promise<number> {
  const maxBatches = opts.maxBatches ?? DEFAULT_MAX_BATCHES;
  const batchSize = opts.batchSize ?? ROLLUP_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("batchSize must be a positive integer");
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const [row] = await prisma.$queryRaw<{ drained: number }[]>`SELECT usage_rollup(${batchSize}::int) AS drained`;
    const drained = row?.drained ?? 0;
    total += drained;
    // A short batch means the queue had nothing more this worker could take.
    if (drained < batchSize) break;
  }
  return total;
}
