/**
 * Next calls register() once per server instance. In the Node.js runtime (the worker needs the
 * database driver) it starts the job queue's worker (lib/jobs/worker.ts), unless JOB_WORKER=off
 * (jobs then run in `npm run worker` processes). The worker also runs the periodic jobs: the usage
 * statistics roll-up, unless USAGE_ROLLUP=off (another instance rolls up), and the reservation
 * expiry sweep. The worker stops with the server, after the jobs in progress.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.JOB_WORKER === "off") return;
  // One worker per process, also when the dev server evaluates this module again.
  const started = globalThis as unknown as { jobWorker?: Promise<unknown> };
  if (started.jobWorker) return;
  const { startWorker } = await import("@/lib/jobs/worker");
  const worker = startWorker({ usageRollup: process.env.USAGE_ROLLUP !== "off" });
  started.jobWorker = worker;
  const { stop } = await worker;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(0));
    });
  }
}
