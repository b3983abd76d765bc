import { runMigrations } from "graphile-worker";
import pg from "pg";
import { jobLogger } from "@/lib/jobs/job-logger";
import { APP_ROLE } from "./app-role";

/**
 * The job queue's schema (graphile_worker, lib/jobs): graphile-worker brings its own migrations and
 * records them in its own table (graphile_worker.migrations), so they run here, as the owner, right
 * after ours. The app connects as billing_app, which may not create anything: at startup its worker
 * only reads that table, finds every migration applied and does no DDL. What it then needs is
 * plain DML on the queue's tables and its functions (add_job, complete_jobs, …); the queue holds
 * no money, so nothing there is guarded beyond that. Granted anew on every run, so tables a newer
 * graphile-worker adds are covered too.
 */
export const JOB_QUEUE_SCHEMA = "graphile_worker";

export async function installJobQueueSchema(ownerUrl: string): Promise<void> {
  await runMigrations({ connectionString: ownerUrl, schema: JOB_QUEUE_SCHEMA, logger: jobLogger });
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`
      GRANT USAGE ON SCHEMA ${JOB_QUEUE_SCHEMA} TO ${APP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_QUEUE_SCHEMA} TO ${APP_ROLE};
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${JOB_QUEUE_SCHEMA} TO ${APP_ROLE};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_QUEUE_SCHEMA} TO ${APP_ROLE};`);
  } finally {
    await client.end();
  }
}
