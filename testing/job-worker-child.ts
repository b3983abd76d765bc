/**
 * A job worker in a process of its own, for the test that kills one mid-job
 * (lib/jobs/job-queue.test.ts): `tsx testing/job-worker-child.ts inside|after`, DATABASE_URL set.
 * Its one task, test-crash-credit, stops inside or right after its effect (testing/job-test-tasks.ts).
 */
import { startWorker } from "@/lib/jobs/worker";
import { creditTask } from "./job-test-tasks";

const crash = process.argv[2];
if (crash !== "inside" && crash !== "after") throw new Error("usage: job-worker-child.ts inside|after");
const worker = await startWorker({
  concurrency: 1,
  onlyExtraTasks: true,
  extraTasks: { "test-crash-credit": creditTask(crash) },
});
process.stdout.write("READY\n");
await worker.runner.promise;
