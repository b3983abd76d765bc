/**
 * Diagnostic, not part of bench:api: one paced billing-check phase on a fresh `next start`, with
 * the answers over the target (10 ms from due) and V8's TurboFan compiles of the server counted
 * per 5 s. It shows where the clusters of slow answers come from (BENCHMARKS.md, "Reserving check
 * p99"): the burst of compiles about 20 s into the load, and the mark-compacts after it.
 *
 *   CHECK_WARMUP_SEC=10 CHECK_SEC=60 CHECK_RESERVE=1 npx tsx scripts/bench/check-phase.ts
 *
 * Runs against the database of the last `npm run bench:api` (its load mandates), on the embedded
 * server's port unless DATABASE_URL is set.
 */
import { randomUUID } from "node:crypto";
import { readBenchConfig } from "./config";

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const config = readBenchConfig();
  const url = process.env.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:54329/${config.database}`;
  // The Prisma client and the server read DATABASE_URL when they load.
  process.env.DATABASE_URL = url;
  process.env.DATABASE_POOL_SIZE = String(config.poolSize);
  const { prisma } = await import("@/lib/db/client");
  const fixtures = await import("./fixtures");
  const { runLoad } = await import("./run-load");
  const { startAppServer } = await import("@/testing/app-server");

  const rows = await prisma.$queryRaw<{ id: string; users: string[] }[]>`
    SELECT m.id, array_agg(ms.user_id::text) AS users
      FROM mandate m JOIN membership ms ON ms.mandate_id = m.id
     WHERE m.name LIKE 'Bench load mandate%' GROUP BY m.id`;
  if (rows.length === 0) throw new Error(`no load mandates in ${url}: run npm run bench:api first`);
  const runId = `check-phase-${randomUUID().slice(0, 8)}`;
  const key = await fixtures.createBenchApiKey(runId);

  let compiles = 0;
  const server = await startAppServer({
    extraNodeFlags: ["--trace-opt"],
    onOutput: (text) => (compiles += text.split("[completed compiling ").length - 1),
  });
  const started = Date.now();
  const at = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s into the load`;
  try {
    const result = await runLoad(
      {
        kind: "check",
        label: "check",
        baseUrl: server.baseUrl,
        apiKey: key.key,
        runId,
        mandates: rows.map((r) => ({ mandateId: r.id, userIds: r.users })),
        connections: 64,
        rate: config.checkRate,
        reserve: process.env.CHECK_RESERVE === "1",
        pacing: "paced",
        durationSec: number("CHECK_SEC", 60),
        warmupSec: number("CHECK_WARMUP_SEC", 10),
      },
      (line) => {
        console.log(`${at()}  ${line}, ${compiles} TurboFan compiles`);
        compiles = 0;
      },
    );
    const p99 = Math.max(result.latencyMs.p99, result.correctedLatencyMs.p99);
    console.log(
      `p99 ${p99.toFixed(2)} ms, per 20 s: ${(result.windowP99Ms ?? []).map((v) => v.toFixed(2)).join(" / ")}`,
    );
  } finally {
    await server.stop();
    await fixtures.revokeBenchApiKey(key.id);
    await fixtures.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
