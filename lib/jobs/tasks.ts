import { z } from "zod";
import { passwordResetEmailJob } from "@/lib/auth/password-reset-job";
import { mandateEmailJob } from "@/lib/notifications/mandate-email-job";

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
  /** Rolls pools' budgets into a new month (lib/recharge/budget-month-roll.ts); periodic. */
  "budget-month-roll": periodic(),
  /** Periods of plans granted without Stripe (lib/subscriptions/advance-granted-periods.ts); periodic. */
  "subscription-periods": periodic(),
  /**
   * A pool crossed below its warning threshold (queued by the database's crossing trigger, migration
   * *_auto_recharge): the warning e-mail (lib/recharge/low-balance-warning.ts) and the automatic
   * recharge (lib/recharge/auto-recharge.ts), each once per crossing.
   */
  "low-balance-warning": z.object({ crossingId: z.uuid() }),
  "auto-recharge": z.object({ crossingId: z.uuid() }),
  /** A billing e-mail about a booked fact, queued with it (lib/notifications/mandate-email.ts). */
  "mandate-email": mandateEmailJob,
  /** A password-reset link, queued with its token (lib/auth/password-reset-email.ts). */
  "password-reset-email": passwordResetEmailJob,
} satisfies Record<string, z.ZodType>;

export type JobTask = keyof typeof jobPayloadSchemas;
export type JobPayload<T extends JobTask> = z.input<(typeof jobPayloadSchemas)[T]>;

export const JOB_TASKS = Object.keys(jobPayloadSchemas) as JobTask[];
