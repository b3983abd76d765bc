import { pgPool } from "@/lib/db/pg-pool";
import { mandateEmailJob } from "@/lib/notifications/mandate-email-job";

/**
 * A billing check was refused for INSUFFICIENT_BALANCE: the owners hear of it at most once an hour
 * per mandate. One statement: the notice time moves only when the last is an hour old, and the
 * e-mail job is added by that same statement, so concurrent refusals queue one e-mail and a
 * refusal within the hour costs an UPDATE that matches no row. True when this call queued it.
 */
export async function notePoolExhausted(mandateId: string, now: Date = new Date()): Promise<boolean> {
  const at = now.toISOString();
  const job = JSON.stringify(mandateEmailJob.parse({ kind: "pool-exhausted", mandateId, at }));
  const { rowCount } = await pgPool.query(
    `WITH noted AS (
       UPDATE billing_settings SET pool_exhausted_notified_at = $2::timestamptz
        WHERE mandate_id = $1::uuid
          AND (pool_exhausted_notified_at IS NULL OR pool_exhausted_notified_at <= $2::timestamptz - interval '1 hour')
       RETURNING mandate_id)
     SELECT graphile_worker.add_job('mandate-email', $3::json) FROM noted`,
    [mandateId, at, job],
  );
  return rowCount === 1;
}
