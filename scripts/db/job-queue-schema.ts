import { runMigrations } from "graphile-worker";
import pg from "pg";
import { jobLogger } from "@/lib/jobs/job-logger";
import { APP_ROLE } from "./app-role";

/**
 * The job queue's schema (graphile_worker, lib/jobs): graphile-worker brings its own migrations and
 * records them in its own table (graphile_worker.migrations), so they run here, as the owner, right
 * after ours. The app connects as billing_app, which may not create anything: at startup its worker
 * only reads that table, finds every migration applied and does no DDL. What it then needs is
 * plain DML on the queue's tables and its functions (add_job, complete_jobs, …), and a policy on
 * each table: graphile-worker turns row-level security on for its tables (with no policy, so that
 * only their owner sees rows). The queue holds no money, so nothing there is guarded beyond that.
 * Granted anew on every run, so tables a newer graphile-worker adds are covered too.
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
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_QUEUE_SCHEMA} TO ${APP_ROLE};
      DO $$
      DECLARE t regclass;
      BEGIN
        FOR t IN SELECT c.oid::regclass FROM pg_class c
                  WHERE c.relnamespace = '${JOB_QUEUE_SCHEMA}'::regnamespace AND c.relrowsecurity
                    AND NOT EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = '${APP_ROLE}')
        LOOP
          EXECUTE format('CREATE POLICY ${APP_ROLE} ON %s TO ${APP_ROLE} USING (true) WITH CHECK (true)', t);
        END LOOP;
      END
      $$;`);
  } finally {
    await client.end();
  }
}
