import type { Task } from "graphile-worker";
import { expireReservations } from "@/lib/billing-check/reservation-expiry";
import { rollBudgetMonths } from "@/lib/recharge/budget-month-roll";
import { rollupUsage } from "@/lib/stats/rollup-usage";
import { advanceGrantedPeriods } from "@/lib/subscriptions/advance-granted-periods";
import type { JobTask } from "./tasks";

/**
 * The background work that used to run on timers in each Next process, as jobs on the queue: one
 * job per task in the whole database (job_key = the task's name), which runs its work and then
 * queues itself again `intervalSeconds` later. Adding a job under a key that is already waiting
 * replaces that job, so any number of workers and processes keep exactly one waiting.
 *
 * Two things (re)start the chain: each worker at startup, and graphile-worker's crontab every minute
 * (it schedules each minute once per database, not once per worker). Both add with
 * `preserve_run_at`, which leaves a waiting job's time alone. They matter when the chain broke: a
 * worker killed mid-run holds its job's lock until graphile-worker frees locks older than 4 hours,
 * and adding under the key of a locked job queues a fresh one beside it.
 *
 * The work itself is safe to run in several places at once (both skip locked rows), so the rare
 * overlap (a fresh job added while the old one still runs) costs nothing. A failed run is logged and
 * the chain goes on: the next run retries what is left (a failed roll-up batch stays queued).
 */
export interface PeriodicJob {
  intervalSeconds: number;
  run: () => Promise<unknown>;
}

export const PERIODIC_JOBS = {
  // Reads add what is still queued, so the statistics stay exact meanwhile (lib/stats/get-statistics.ts).
  "usage-rollup": { intervalSeconds: 1, run: () => rollupUsage() },
  "reservation-expiry": { intervalSeconds: 1, run: () => expireReservations() },
  // A month's first minute at most keeps last month's threshold on pages (bookings roll themselves).
  "budget-month-roll": { intervalSeconds: 60, run: () => rollBudgetMonths() },
  "subscription-periods": { intervalSeconds: 60, run: () => advanceGrantedPeriods() },
} satisfies Partial<Record<JobTask, PeriodicJob>>;

export type PeriodicTask = keyof typeof PERIODIC_JOBS;
export const PERIODIC_TASKS = Object.keys(PERIODIC_JOBS) as PeriodicTask[];

/** The job's handler: the work, then the next run, whether or not the work failed. */
export function periodicHandler(task: PeriodicTask): Task {
  const job: PeriodicJob = PERIODIC_JOBS[task];
  return async (_payload, helpers) => {
    try {
      await job.run();
    } catch (err) {
      helpers.logger.error(`${task} failed; it runs again in ${job.intervalSeconds} s`, { error: err });
    }
    // Replaces nothing while this job holds the key: graphile-worker queues the next one beside it.
    await helpers.query(
      `SELECT FROM graphile_worker.add_job($1::text, '{}'::json,
         run_at => now() + make_interval(secs => $2::int), job_key => $1::text, job_key_mode => 'replace')`,
      [task, job.intervalSeconds],
    );
  };
}

/** graphile-worker's crontab: every minute, make sure each periodic job is queued. */
export function periodicCrontab(tasks: readonly PeriodicTask[]): string {
  return tasks.map((task) => `* * * * * ${task} ?jobKey=${task}&jobKeyMode=preserve_run_at`).join("\n");
}
