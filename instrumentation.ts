/**
 * Next calls register() once per server instance. The usage statistics roll-up runs here, in the
 * Node.js runtime only (it needs the database driver), unless USAGE_ROLLUP=off, e.g. on extra
 * instances when one roll-up per database is enough (several are safe, see lib/stats).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.USAGE_ROLLUP !== "off") {
    const { startUsageRollupRunner } = await import("@/lib/stats/usage-rollup-runner");
    startUsageRollupRunner();
  }
}
