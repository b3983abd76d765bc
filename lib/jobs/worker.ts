import { run, type Runner, type Task, type TaskList } from "graphile-worker";
import pg from "pg";
import { sendPasswordResetEmail } from "@/lib/auth/password-reset-email";
import { databaseRoleOption } from "@/lib/db/database-role";
import { sendMandateEmail } from "@/lib/notifications/mandate-email";
import { runAutoRecharge } from "@/lib/recharge/auto-recharge";
import { sendLowBalanceWarning } from "@/lib/recharge/low-balance-warning";
import { jobLogger } from "./job-logger";
import { PERIODIC_TASKS, periodicCrontab, periodicHandler, type PeriodicTask } from "./periodic-jobs";
import { jobPayloadSchemas, type JobTask } from "./tasks";

/**
 * The job queue's worker (graphile-worker): runs the jobs of lib/jobs/tasks.ts. The Next server
 * starts one (instrumentation.ts, unless JOB_WORKER=off), `npm run worker` runs one on its own;
 * any number may run against one database, each job runs in one of them at a time.
 *
 * It has its own small pool, as the app's role (DATABASE_URL, DATABASE_ROLE): a connection stays
 * LISTENing for new jobs and each running job holds one, which must not starve the requests. The
 * queue's schema is the migrator's (scripts/db/job-queue-schema.ts); the worker only checks it.
 */
export interface WorkerOptions {
  /** Jobs run at once in this process. */
  concurrency?: number;
  /** Leave out the usage roll-up (USAGE_ROLLUP=off): another process rolls up. */
  usageRollup?: boolean;
  /** Further handlers (tests: tasks of their own). */
  extraTasks?: TaskList;
  /** Run only `extraTasks` (tests that must not take the app's jobs). */
  onlyExtraTasks?: boolean;
}

export interface JobWorker {
  runner: Runner;
  /** Waits for the jobs in progress, then closes the worker's connections. */
  stop: () => Promise<void>;
}

const HANDLERS: { [T in JobTask]: Task } = {
  "usage-rollup": periodicHandler("usage-rollup"),
  "reservation-expiry": periodicHandler("reservation-expiry"),
  "budget-month-roll": periodicHandler("budget-month-roll"),
  "subscription-periods": periodicHandler("subscription-periods"),
  "low-balance-warning": async (payload) => {
    await sendLowBalanceWarning(jobPayloadSchemas["low-balance-warning"].parse(payload).crossingId);
  },
  "auto-recharge": async (payload) => {
    await runAutoRecharge(jobPayloadSchemas["auto-recharge"].parse(payload).crossingId);
  },
  "mandate-email": async (payload) => {
    await sendMandateEmail(jobPayloadSchemas["mandate-email"].parse(payload));
  },
  "password-reset-email": async (payload) => {
    await sendPasswordResetEmail(jobPayloadSchemas["password-reset-email"].parse(payload));
  },
};

export async function startWorker(opts: WorkerOptions = {}): Promise<JobWorker> {
  const concurrency = opts.concurrency ?? 2;
  const tasks = opts.onlyExtraTasks
    ? []
    : (Object.keys(HANDLERS) as JobTask[]).filter((t) => opts.usageRollup !== false || t !== "usage-rollup");
  const taskList: TaskList = { ...opts.extraTasks };
  for (const task of tasks) taskList[task] = validated(task, HANDLERS[task]);
  const periodic: PeriodicTask[] = PERIODIC_TASKS.filter((t) => (tasks as string[]).includes(t));

  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    options: databaseRoleOption(),
    max: concurrency + 2,
  });
  // A connection that fails (database restart) must not end the process: the pool replaces it.
  pool.on("error", (err) => jobLogger.error(`idle job queue connection failed: ${err.message}`));
  pool.on("connect", (client) =>
    client.on("error", (err) => jobLogger.error(`job queue connection failed: ${err.message}`)),
  );
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      concurrency,
      taskList,
      crontab: periodic.length > 0 ? periodicCrontab(periodic) : "# no periodic jobs",
      // Periodic jobs are due every second; idle workers look that often (new jobs arrive by NOTIFY).
      pollInterval: 1_000,
      noHandleSignals: true,
      logger: jobLogger,
    });
  } catch (err) {
    await pool.end();
    // As billing_app the worker may not create the queue's schema, only find it in place.
    if ((err as { code?: string }).code === "42501") {
      throw new Error(
        "the job queue's schema (graphile_worker) is missing or not granted to the app's role: " +
          "migrate with npm run db:migrate (scripts/db/job-queue-schema.ts installs it)",
        { cause: err },
      );
    }
    throw err;
  }
  // Several workers seed at once: the key keeps one job each, and a waiting one keeps its time.
  for (const task of periodic) {
    await runner.addJob(task, {}, { jobKey: task, jobKeyMode: "preserve_run_at" });
  }
  let stopping: Promise<void> | undefined;
  return {
    runner,
    stop: () =>
      (stopping ??= (async () => {
        try {
          await runner.stop();
        } finally {
          await pool.end();
        }
      })()),
  };
}

/** A payload that does not match its task's schema fails the job (recorded in last_error). */
function validated(task: JobTask, handler: Task): Task {
  const schema = jobPayloadSchemas[task];
  return (payload, helpers) => handler(schema.parse(payload), helpers);
}
