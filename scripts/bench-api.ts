/**
 * `npm run bench:api`: throughput and latency of the machine API, measured against the production
 * build (`next start`) on PostgreSQL over loopback. Not a test: it prints numbers and the issue's
 * targets (PASS/MISS) and writes them to bench-results/api-<timestamp>.json. BENCHMARKS.md says
 * what each number means; scripts/bench/config.ts lists the BENCH_* knobs.
 *
 *   a. single usage debits/s        POST /api/v1/billing/usage, unique idempotency keys
 *   b. batched events/s             POST /api/v1/billing/usage/batch, 1,000 events per request
 *   c. billing check p50/p99        POST /api/v1/billing/check at 500/s, reserve false and true
 *   d. statistics latency           GET /api/v1/mandates/{id}/statistics, mandate with 5M debits
 *   e. raw-SQL limit                the route's booking statement sent straight to PostgreSQL
 *
 * On the way it checks the query plans those figures rest on (scripts/bench/plan-checks.ts) and
 * reports each as PASS or MISS beside the targets.
 *
 * Own database `billing_bench` (on the embedded server, or on DATABASE_URL's server), copied each
 * run from `billing_bench_template`, where the 5-million-debit mandate is generated once.
 */
import { randomUUID } from "node:crypto";
import { ensureProductionBuild } from "@/scripts/build/ensure-production-build";
import { resolveDatabase } from "@/scripts/db/database-url";
import { databaseName, withDatabase } from "@/scripts/db/embedded-server";
import { copyTemplate, migrateTemplate, serverVersion } from "./bench/bench-database";
import { readBenchConfig } from "./bench/config";
import { describeMachine, formatReport, judge, loadAverage, nproc, writeResults } from "./bench/report";
import { ensureStatisticsDataset } from "./bench/statistics-dataset";

const config = readBenchConfig();
const started = Date.now();
const log = (line: string) =>
  console.log(`[bench ${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${line}`);

async function main(): Promise<void> {
  const runId = `bench-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  log(`${nproc()} cores, shared by PostgreSQL, next start and the load generator: numbers are for the whole box`);

  const database = await resolveDatabase({ log });
  // The template and its dataset are written as the owner (the dataset inserts debits directly);
  // the load runs as the app's role, like the product.
  const templateUrl = await migrateTemplate(database.migrationUrl, config.database, log);
  const dataset = await ensureStatisticsDataset(templateUrl, config.statisticsTransactions, log);
  const ownerUrl = await copyTemplate(database.migrationUrl, config.database, log);
  const url = withDatabase(await database.appUrl(), databaseName(ownerUrl));
  const machine = describeMachine(await serverVersion(url));

  // Read when lib/db/client is first imported, here and in next start (which inherits them).
  process.env.DATABASE_URL = url;
  process.env.DATABASE_POOL_SIZE = String(config.poolSize);
  delete process.env.USAGE_ROLLUP; // the roll-up runner is part of the real load
  const fixtures = await import("./bench/fixtures");
  const { runPhases } = await import("./bench/phases");
  const { startAppServer } = await import("@/testing/app-server");

  const mandates = await fixtures.prepareLoadMandates(config.mandates, config.usersPerMandate);
  const key = await fixtures.createBenchApiKey(runId);
  log(`${mandates.length} load mandates with ${config.usersPerMandate} members each; platform-wide API key`);

  await ensureProductionBuild({ log });
  log(`starting next start (DATABASE_POOL_SIZE=${config.poolSize}, usage roll-up on)`);
  const server = await startAppServer();
  log(`server on ${server.baseUrl}`);
  try {
    const measured = await runPhases({
      config,
      url,
      ownerUrl,
      baseUrl: server.baseUrl,
      apiKey: key.key,
      runId,
      mandates,
      dataset,
      log,
    });
    const partial = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAfter: loadAverage() },
      config: { ...config },
      ...measured,
    };
    const results = { ...partial, verdicts: judge(partial) };
    console.log(formatReport(results));
    log(`results written to ${writeResults(results)}`);
  } finally {
    await server.stop();
    await fixtures.revokeBenchApiKey(key.id);
    await fixtures.disconnect();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
