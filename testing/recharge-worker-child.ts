/**
 * The app's job worker in a process of its own, for the test that runs automatic recharges from
 * two processes at once (lib/recharge/auto-recharge.test.ts): DATABASE_URL and the STRIPE_*
 * variables set by the parent. Prints READY once it takes jobs; SIGTERM stops it.
 */
import { startWorker } from "@/lib/jobs/worker";

const worker = await startWorker({ concurrency: 4, usageRollup: false });
process.stdout.write("READY\n");
process.once("SIGTERM", () => void worker.stop().then(() => process.exit(0)));
await worker.runner.promise;
