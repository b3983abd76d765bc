/**
 * Next calls register() once per server instance. Background tasks run here, in the Node.js
 * runtime only (they need the database driver); several instances may run them at once (see
 * lib/jobs/periodic-task.ts):
 *   - the usage statistics roll-up, unless USAGE_ROLLUP=off (e.g. on extra instances when one
 *     roll-up per database is enough);
 *   - the reservation expiry sweep, which labels expired holds EXPIRED (a billing check then reads
 *     fewer of them; see lib/billing-check/reservation-expiry.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.USAGE_ROLLUP !== "off") {
    const { startUsageRollupRunner } = await import("@/lib/stats/usage-rollup-runner");
    startUsageRollupRunner();
  }
  const { startReservationExpiryRunner } = await import("@/lib/billing-check/reservation-expiry");
  startReservationExpiryRunner();
}
