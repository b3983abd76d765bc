import pg from "pg";
import type { BenchConfig } from "./config";
import { rollupQueueLength } from "./fixtures";
import type { BenchMandate, LoadJob, LoadResult } from "./load-jobs";
import { checkHeldMoneyRead, checkPeriodFunctionsInlined, type PlanCheck } from "./plan-checks";
import { bracketedRawSql, type RawSqlResult, runRawSql } from "./raw-sql";
import type { BenchResults } from "./report";
import { runLoad } from "./run-load";
import type { StatisticsDataset } from "./statistics-dataset";

/**
 * The measured phases, one after the other against one running server. Before each phase the
 * server's roll-up drains what the previous one queued, and the database is vacuumed and
 * checkpointed (as pgbench vacuums before each run), so no phase pays for another's backlog: after
 * the batch phase's million rows, autovacuum and the checkpointer otherwise write for a minute,
 * and a commit's WAL flush waits behind them.
 * The raw-SQL limit runs in two halves, right before and right after the single debits it is
 * compared with. The query plans the figures rest on are checked on the way (plan-checks.ts).
 */
export interface PhaseContext {
  config: BenchConfig;
  /** The bench database as the app's role: the load and the raw-SQL limit run as the product does. */
  url: string;
  /** The same database as its owner, for VACUUM and CHECKPOINT between phases. */
  ownerUrl: string;
  baseUrl: string;
  apiKey: string;
  runId: string;
  mandates: BenchMandate[];
  dataset: StatisticsDataset;
  log: (line: string) => void;
}

type Measured = Pick<BenchResults, "single" | "raw" | "batch" | "check" | "statistics" | "plans">;
type CheckMode = "plain" | "reserve";
type Period = "DAY" | "MONTH" | "YEAR";

export async function runPhases(ctx: PhaseContext): Promise<Measured> {
  const { config, log } = ctx;
  const job = (spec: LoadJob): Promise<LoadResult> => runLoad(spec, log);
  // Each measured phase first runs its own load unmeasured: JIT, the server's pool connections
  // (idle ones close after 10 s, e.g. during the raw-SQL phase) and the API-key cache. The warm-up
  // runs in the generator process that then measures, straight on: with a fresh process per
  // measurement, its first seconds carried the generator's own cold start.
  const measure = async (spec: LoadJob): Promise<LoadResult> => {
    await drainRollup(log);
    await settleDatabase(ctx.ownerUrl, log);
    return job({ ...spec, warmupSec: config.warmupSec });
  };
  const common = { baseUrl: ctx.baseUrl, apiKey: ctx.apiKey, runId: ctx.runId };
  const http = { ...common, mandates: ctx.mandates };
  const usage = { ...http, kind: "usage" as const, connections: config.connections };
  const batchJob = { ...http, kind: "batch" as const, eventsPerRequest: config.batchEvents };
  const check = (reserve: boolean) => ({ ...http, kind: "check" as const, rate: config.checkRate, reserve });
  const stats = (period: Period) => ({
    ...common,
    kind: "statistics" as const,
    connections: 1,
    paths: statisticsPaths(ctx.dataset, period),
  });

  // The raw-SQL limit brackets the single debits it is compared with: half of it right before,
  // half right after, each prepared like a measured phase. The box drifts within minutes (cache
  // state, other tenants of the host); one raw phase before the HTTP phase made the share swing
  // with whichever of the two caught the better minute.
  const rawSql = { url: ctx.url, mandates: ctx.mandates, connections: config.connections, driver: config.rawDriver };
  const rawHalfSec = Math.max(1, Math.round(config.rawSec / 2)); // pgbench -T takes whole seconds
  const measureRaw = async (part: "before" | "after"): Promise<RawSqlResult> => {
    log(`e. raw-SQL limit, ${part} the single debits: ${config.connections} connections, ${rawHalfSec}s`);
    await drainRollup(log);
    await settleDatabase(ctx.ownerUrl, log);
    const warmLog = (line: string) => log(`warm-up ${line}`);
    await runRawSql({ ...rawSql, durationSec: config.rawWarmupSec, runId: `${ctx.runId}-warm-${part}`, log: warmLog });
    await drainRollup(log);
    const result = await runRawSql({ ...rawSql, durationSec: rawHalfSec, runId: `${ctx.runId}-${part}`, log });
    log(`raw SQL ${part}: ${Math.round(result.debitsPerSecond)} debits/s (${result.driver})`);
    return result;
  };

  const plans: PlanCheck[] = [];
  const checkPlan = async (check: Promise<PlanCheck>) => {
    const result = await check;
    log(
      `plan: ${result.pass ? "PASS" : "MISS"} ${result.expectation}${result.pass ? "" : ` (found: ${result.found})`}`,
    );
    plans.push(result);
  };
  await checkPlan(checkPeriodFunctionsInlined(ctx.url));

  const rawBefore = await measureRaw("before");
  log(`a. single usage debits: ${config.connections} connections, ${config.singleSec}s`);
  const single = await measure({ ...usage, label: "single debits", durationSec: config.singleSec });
  log(`single debits: ${Math.round(single.units / single.durationSec)} debits/s`);
  const rawAfter = await measureRaw("after");
  const raw = bracketedRawSql(rawBefore, rawAfter);
  log(`raw SQL: ${Math.round(raw.debitsPerSecond)} debits/s over both parts`);
  await drainRollup(log);

  log(`b. batched events: ${config.batchEvents} per request, ${config.batchConnections} connections`);
  const batch = await measure({
    ...batchJob,
    label: "batch",
    connections: config.batchConnections,
    durationSec: config.batchSec,
  });
  log(`batched: ${Math.round(batch.units / batch.durationSec)} events/s`);
  await drainRollup(log);

  const paced = {} as Record<CheckMode, LoadResult>;
  const autocannon = {} as Record<CheckMode, LoadResult>;
  for (const reserve of [false, true]) {
    const mode: CheckMode = reserve ? "reserve" : "plain";
    log(`c. billing check reserve:${reserve}, one request every ${1000 / config.checkRate} ms, ${config.checkSec}s`);
    paced[mode] = await measure({
      ...check(reserve),
      label: `check reserve:${reserve}`,
      connections: 64,
      durationSec: config.checkSec,
      pacing: "paced",
    });
    if (reserve) {
      const [first] = ctx.mandates;
      if (first) await checkPlan(checkHeldMoneyRead(ctx.url, first.mandateId));
    }
    log(`c. billing check reserve:${reserve}, autocannon overallRate ${config.checkRate} (reference)`);
    autocannon[mode] = await job({
      ...check(reserve),
      label: `check reserve:${reserve} (autocannon)`,
      connections: 20,
      durationSec: config.checkAutocannonSec,
      pacing: "autocannon",
    });
  }
  await drainRollup(log);

  const byPeriod = {} as Record<Period, LoadResult>;
  for (const period of ["DAY", "MONTH", "YEAR"] as const) {
    log(`d. statistics ${period}: 1 connection, ${config.statisticsSec}s`);
    const spec = { ...stats(period), label: `statistics ${period}`, durationSec: config.statisticsSec };
    byPeriod[period] = await (period === "DAY" ? measure(spec) : job(spec));
  }

  return {
    single: { ...single, debitsPerSecond: single.units / single.durationSec },
    raw,
    batch: { ...batch, eventsPerSecond: batch.units / batch.durationSec, eventsPerRequest: config.batchEvents },
    check: { paced, autocannon, rate: config.checkRate },
    statistics: { transactions: ctx.dataset.transactions, byPeriod },
    plans,
  };
}

/** DAY: every month with data; MONTH: every year with data; YEAR: the 5 years up to the last. */
function statisticsPaths(dataset: StatisticsDataset, period: Period): string[] {
  const base = `/api/v1/mandates/${dataset.mandateId}/statistics?period=${period}`;
  const [firstYear = 0, firstMonth = 1] = dataset.firstMonth.split("-").map(Number);
  const [lastYear = 0, lastMonth = 12] = dataset.lastMonth.split("-").map(Number);
  if (period === "YEAR") return [`${base}&year=${lastYear}`];
  const paths: string[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    if (period === "MONTH") {
      paths.push(`${base}&year=${year}`);
      continue;
    }
    const to = year === lastYear ? lastMonth : 12;
    for (let month = year === firstYear ? firstMonth : 1; month <= to; month++) {
      paths.push(`${base}&year=${year}&month=${month}`);
    }
  }
  return paths;
}

/** Waits until the server's roll-up has caught up with what the last phase booked. */
async function drainRollup(log: (line: string) => void): Promise<void> {
  for (let waited = 0; ; waited++) {
    const queued = await rollupQueueLength();
    if (queued === 0) return;
    if (waited % 5 === 0) log(`waiting for the usage roll-up: ${queued.toLocaleString("en")} debits queued`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** VACUUM (ANALYZE) and CHECKPOINT: what earlier phases left to write is written before the next. */
async function settleDatabase(url: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("VACUUM (ANALYZE)");
    await client.query("CHECKPOINT");
  } finally {
    await client.end();
  }
  log(`database settled (VACUUM ANALYZE, CHECKPOINT) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
