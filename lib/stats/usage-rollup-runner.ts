import { rollupUsage } from "./rollup-usage";

/**
 * Keeps usage_statistics close to the ledger inside the Next server (started from
 * instrumentation.ts). Runs are chained with setTimeout, so they never overlap within a process;
 * other processes may run their own runner at the same time (the roll-up skips locked rows).
 * Errors are logged and the next tick tries again: a failed batch stays queued and reads stay
 * exact meanwhile (they add the queued debits).
 */
export const ROLLUP_INTERVAL_MS = 1_000;

export interface UsageRollupRunnerOptions {
  intervalMs?: number;
  log?: Pick<Console, "error">;
}

// One runner per process, also when a dev server re-evaluates this module.
const runnerState = globalThis as unknown as { usageRollupRunnerStop?: () => Promise<void> };

/** Starts the periodic roll-up; the returned function stops it after the run in progress. */
export function startUsageRollupRunner(opts: UsageRollupRunnerOptions = {}): () => Promise<void> {
  if (runnerState.usageRollupRunnerStop) return runnerState.usageRollupRunnerStop;
  const intervalMs = opts.intervalMs ?? ROLLUP_INTERVAL_MS;
  const log = opts.log ?? console;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = rollupUsage()
      .then(() => undefined)
      .catch((err: unknown) => log.error("usage roll-up failed; retrying on the next tick", err))
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    // The runner alone must not keep a process alive (scripts, tests).
    timer.unref();
  };

  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
    if (runnerState.usageRollupRunnerStop === stop) delete runnerState.usageRollupRunnerStop;
  };
  runnerState.usageRollupRunnerStop = stop;
  schedule();
  return stop;
}
