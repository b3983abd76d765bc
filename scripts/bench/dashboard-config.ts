/**
 * bench:dashboard's knobs, from BENCH_* environment variables (the database ones are bench:api's).
 * At 5 million transactions the defaults take about eight minutes once the statistics mandate
 * exists, three of them the CSV export (BENCH_DASHBOARD_EXPORT=0 skips it). A short try on small
 * data: `BENCH_DATABASE=bench_dash_small BENCH_STATISTICS_TRANSACTIONS=20000
 * BENCH_DASHBOARD_WARMUP_SEC=5 BENCH_DASHBOARD_REQUESTS=20`.
 */
function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export function readDashboardConfig() {
  const database = process.env.BENCH_DATABASE ?? "billing_bench";
  return {
    /** bench:api's template (`<database>_template`) holds the statistics mandate; generated on first use. */
    database,
    /**
     * The run's own copy of the template, so that a bench:api run (which copies the template to
     * `<database>`) and this one never drop each other's database.
     */
    runDatabase: `${database}_dashboard`,
    statisticsTransactions: positive("BENCH_STATISTICS_TRANSACTIONS", 5_000_000),
    /** DATABASE_POOL_SIZE of next start, as in bench:api. */
    poolSize: positive("BENCH_POOL_SIZE", 10),
    /**
     * Unmeasured load over every endpoint in turn before the first measurement. It must cover the
     * moment V8 optimises Next's hot paths, a burst of compiles on background threads some
     * seconds into the server's first load that stalls a 2-core box (BENCHMARKS.md, bench:api's
     * method); without it the first pages measured carried that burst in their p99.
     */
    warmupSec: positive("BENCH_DASHBOARD_WARMUP_SEC", 30),
    /** Unmeasured requests per endpoint right before its measured ones (its queries' pages cached). */
    warmupRequests: positive("BENCH_DASHBOARD_WARMUP", 30),
    /** Measured requests per endpoint, one after the other on one keep-alive connection. */
    requests: positive("BENCH_DASHBOARD_REQUESTS", 200),
    /**
     * At most this long per endpoint, warm-up and measurement each: a request that takes seconds
     * is reported from fewer samples instead of holding the run for minutes.
     */
    endpointSec: positive("BENCH_DASHBOARD_ENDPOINT_SEC", 30),
    /** BENCH_DASHBOARD_EXPORT=0 skips the full CSV export (minutes at 5 million rows). */
    export: process.env.BENCH_DASHBOARD_EXPORT !== "0",
    /** How often the server's resident memory is read during the export. */
    rssSampleMs: positive("BENCH_DASHBOARD_RSS_SAMPLE_MS", 100),
  };
}

export type DashboardConfig = ReturnType<typeof readDashboardConfig>;

/** Issue 17 (item 9): each page and data request within 150 ms server time. */
export const DASHBOARD_P99_TARGET_MS = 150;
