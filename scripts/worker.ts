/**
 * `npm run worker`: the job queue's worker as a process of its own (lib/jobs/worker.ts), for a
 * deployment that runs the Next server with JOB_WORKER=off. Migrates first, as every command does.
 * SIGINT/SIGTERM stop it after the jobs in progress.
 */
import { prepareDatabase } from "@/scripts/db/database-url";

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const database = await prepareDatabase({ log });
  // Imported after prepareDatabase: the worker reads DATABASE_URL, which it sets.
  const { startWorker } = await import("@/lib/jobs/worker");
  const worker = await startWorker({
    concurrency: Number(process.env.JOB_CONCURRENCY ?? 4),
    usageRollup: process.env.USAGE_ROLLUP !== "off",
  });
  log("job worker running; Ctrl-C stops it");
  const stop = () => {
    log("stopping the job worker after the jobs in progress");
    void worker
      .stop()
      .then(() => database.stop())
      .then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await worker.runner.promise;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
