import type pg from "pg";
import type { Prisma } from "@/lib/db/generated/client";
import { pgPool } from "@/lib/db/pg-pool";
import { jobPayloadSchemas, type JobPayload, type JobTask } from "./tasks";

/**
 * Adds jobs to the PostgreSQL job queue (graphile-worker's schema graphile_worker, installed by the
 * migrator). enqueueJob adds through the caller's transaction, so the job exists exactly when what
 * caused it commits: a rollback leaves no job, a crash after the commit loses none. Delivery is at
 * least once (a worker killed mid-job runs it again later), so every handler's effect must be
 * idempotent by a key of its own.
 */
export interface EnqueueOptions {
  /**
   * At most one waiting job per key: a second add replaces the waiting one's payload and run_at;
   * one already running keeps running and a new one is queued after it.
   */
  jobKey?: string;
  runAt?: Date;
  /** Attempts before the job stays failed in the queue (graphile-worker's default: 25). */
  maxAttempts?: number;
}

/** Adds the job in the caller's interactive transaction (`prisma.$transaction(async (tx) => …)`). */
export async function enqueueJob<T extends JobTask>(
  tx: Prisma.TransactionClient,
  task: T,
  payload: JobPayload<T>,
  opts: EnqueueOptions = {},
): Promise<void> {
  await addJobWithin(tx, task, jobPayloadSchemas[task].parse(payload), opts);
}

/** enqueueJob without the registry's schema: for tasks of the tests' own (testing/job-test-tasks.ts). */
export async function addJobWithin(
  tx: Pick<Prisma.TransactionClient, "$executeRaw">,
  task: string,
  payload: unknown,
  opts: EnqueueOptions = {},
): Promise<void> {
  await tx.$executeRaw`SELECT FROM graphile_worker.add_job(${task}, ${JSON.stringify(payload)}::json,
    run_at => ${opts.runAt ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? null}::int,
    job_key => ${opts.jobKey ?? null}::text)`;
}

/**
 * Adds the job on its own (on the process's pool, or on `client`, e.g. inside a node-postgres
 * transaction), for callers with no Prisma transaction.
 */
export async function enqueueJobNow<T extends JobTask>(
  task: T,
  payload: JobPayload<T>,
  opts: EnqueueOptions = {},
  client: Pick<pg.Pool, "query"> = pgPool,
): Promise<void> {
  const json = JSON.stringify(jobPayloadSchemas[task].parse(payload));
  await client.query(ADD_JOB_SQL, [task, json, opts.runAt ?? null, opts.maxAttempts ?? null, opts.jobKey ?? null]);
}

const ADD_JOB_SQL = `SELECT FROM graphile_worker.add_job($1::text, $2::json,
  run_at => $3::timestamptz, max_attempts => $4::int, job_key => $5::text)`;
