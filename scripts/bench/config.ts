/**
 * The benchmark's knobs, from BENCH_* environment variables. The defaults keep a run (after the
 * one-time generation of the statistics mandate) at about eight minutes.
 */
function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export function readBenchConfig() {
  return {
    /** Own database on the same server, kept between runs (the statistics mandate is cached there). */
    database: process.env.BENCH_DATABASE ?? "billing_bench",
    /** DATABASE_POOL_SIZE of next start: the Prisma pool. */
    poolSize: positive("BENCH_POOL_SIZE", 10),
    /** Concurrent requests for single debits, and concurrent connections for the raw-SQL limit. */
    connections: positive("BENCH_CONNECTIONS", 16),
    batchConnections: positive("BENCH_BATCH_CONNECTIONS", 2),
    mandates: positive("BENCH_MANDATES", 8),
    usersPerMandate: positive("BENCH_USERS", 3),
    /**
     * Unmeasured load of the same kind right before each measured HTTP phase. Long enough to
     * cover the moment V8 optimises Next's hot paths: it compiles them in one burst on several
     * background threads well into the first half-minute of load, which stalls a 2-core box; a
     * shorter warm-up leaves that burst inside the measurement.
     */
    warmupSec: positive("BENCH_WARMUP_SEC", 30),
    /** The same for the raw-SQL halves: pgbench has no JIT, its backends are warm in a second. */
    rawWarmupSec: positive("BENCH_RAW_WARMUP_SEC", 10),
    singleSec: positive("BENCH_SINGLE_SEC", 30),
    /** Split in two: half right before the single debits, half right after. */
    rawSec: positive("BENCH_RAW_SEC", 30),
    batchSec: positive("BENCH_BATCH_SEC", 30),
    batchEvents: positive("BENCH_BATCH_EVENTS", 1000),
    checkRate: positive("BENCH_CHECK_RATE", 500),
    /**
     * Long enough to hold more than one of the server's mark-compacts (each stalls the box
     * briefly, BENCHMARKS.md "Findings"): a phase that holds none or one makes its p99 a coin toss.
     */
    checkSec: positive("BENCH_CHECK_SEC", 60),
    checkAutocannonSec: positive("BENCH_CHECK_AUTOCANNON_SEC", 10),
    statisticsSec: positive("BENCH_STATISTICS_SEC", 10),
    statisticsTransactions: positive("BENCH_STATISTICS_TRANSACTIONS", 5_000_000),
    /** pgbench when installed; BENCH_RAW_DRIVER=node forces node-postgres. */
    rawDriver: process.env.BENCH_RAW_DRIVER === "node" ? ("node-postgres" as const) : ("pgbench" as const),
  };
}

export type BenchConfig = ReturnType<typeof readBenchConfig>;
