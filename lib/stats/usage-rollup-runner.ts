import { startPeriodicTask } from "@/lib/jobs/periodic-task";
import { rollupUsage } from "./rollup-usage";

/**
 * Keeps usage_statistics close to the ledger inside the Next server (started from
 * instrumentation.ts). Other processes may run their own runner at the same time (the roll-up
 * skips locked rows). A failed batch stays queued and reads stay exact meanwhile (they add the
 * queued sums).
 */
const ROLLUP_INTERVAL_MS = 1_000;

export interface UsageRollupRunnerOptions {
  intervalMs?: number;
  log?: Pick<Console, "error">;
}

/** Starts the periodic roll-up; the returned function stops it after the run in progress. */
export function startUsageRollupRunner(opts: UsageRollupRunnerOptions = {}): () => Promise<void> {
  return startPeriodicTask("usage roll-up", () => rollupUsage(), {
    intervalMs: opts.intervalMs ?? ROLLUP_INTERVAL_MS,
    log: opts.log,
  });
}
