import { z } from "zod";

/**
 * Every task the job queue knows, with the one schema its payload must match: enqueueJob
 * (lib/jobs/queue.ts) parses before it adds a job, and the worker (lib/jobs/worker.ts) parses again
 * before it runs one, since a row may be older than the code or added by hand. The worker maps each
 * name to its handler; a name without one does not compile.
 */
// graphile-worker's crontab adds `_cron` to the payload of the jobs it schedules; nothing reads it.
function periodic() {
  return z.object({});
}

export const jobPayloadSchemas = {
  /** Rolls queued usage into usage_statistics (lib/stats/rollup-usage.ts); periodic. */
  "usage-rollup": periodic(),
  /** Labels expired reservations EXPIRED (lib/billing-check/reservation-expiry.ts); periodic. */
  "reservation-expiry": periodic(),
} satisfies Record<string, z.ZodType>;

export type JobTask = keyof typeof jobPayloadSchemas;
export type JobPayload<T extends JobTask> = z.input<(typeof jobPayloadSchemas)[T]>;

export const JOB_TASKS = Object.keys(jobPayloadSchemas) as JobTask[];
