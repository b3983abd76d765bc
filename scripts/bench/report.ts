import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LoadResult } from "./load-jobs";
import { TAIL_WINDOW_SEC } from "./paced-load";
import type { PlanCheck } from "./plan-checks";
import type { BracketedRawSqlResult } from "./raw-sql";

/** The targets of issue #4 (item 6), for a 2-core machine. */
export const TARGETS = {
  singleShareOfRawSql: 0.4,
  batchEventsPerSecond: 15_000,
  checkP99Ms: 10,
  statisticsP99Ms: 100,
} as const;

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  postgres: string;
  node: string;
  /** 1, 5 and 15 minute load averages. */
  loadBefore: number[];
  loadAfter?: number[];
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  machine: Machine;
  config: Record<string, string | number | boolean>;
  single: LoadResult & { debitsPerSecond: number };
  /** Half right before and half right after the single debits (scripts/bench/phases.ts). */
  raw: BracketedRawSqlResult;
  batch: LoadResult & { eventsPerSecond: number; eventsPerRequest: number };
  /** paced: the verdict (one request every 1/rate s); autocannon: its overallRate, for reference. */
  check: {
    paced: Record<"plain" | "reserve", LoadResult>;
    autocannon: Record<"plain" | "reserve", LoadResult>;
    rate: number;
  };
  statistics: { transactions: number; byPeriod: Record<"DAY" | "MONTH" | "YEAR", LoadResult> };
  /** Query plans the figures rest on (plan-checks.ts). */
  plans: PlanCheck[];
  verdicts: Verdict[];
}

export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

export function describeMachine(postgres: string): Machine {
  return {
    cpus: nproc(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    postgres,
    node: process.version,
    loadBefore: loadAverage(),
  };
}

export function loadAverage(): number[] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

/** nproc as the shell reports it (cgroup limits included); os.availableParallelism otherwise. */
export function nproc(): number {
  try {
    return Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  } catch {
    return os.availableParallelism();
  }
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const int = (v: number) => Math.round(v).toLocaleString("en");

/** The worse of the two latency views: per-response timing, and autocannon's corrected histogram. */
export function p99(result: LoadResult): number {
  return Math.max(result.latencyMs.p99, result.correctedLatencyMs.p99);
}

export function judge(results: Omit<BenchResults, "verdicts">): Verdict[] {
  const share = results.single.debitsPerSecond / results.raw.debitsPerSecond;
  const stats = Object.values(results.statistics.byPeriod);
  const worstStats = Math.max(...stats.map(p99));
  return [
    {
      target: `single debits ≥ ${TARGETS.singleShareOfRawSql * 100}% of the raw-SQL limit`,
      measured: `${(share * 100).toFixed(1)}% (${int(results.single.debitsPerSecond)} of ${int(results.raw.debitsPerSecond)}/s)`,
      pass: share >= TARGETS.singleShareOfRawSql,
    },
    {
      target: `batched ≥ ${int(TARGETS.batchEventsPerSecond)} events/s`,
      measured: `${int(results.batch.eventsPerSecond)} events/s`,
      pass: results.batch.eventsPerSecond >= TARGETS.batchEventsPerSecond,
    },
    ...(["plain", "reserve"] as const).map((mode) => {
      const r = results.check.paced[mode];
      return {
        target: `check (reserve:${mode === "reserve"}) p99 ≤ ${TARGETS.checkP99Ms} ms at ${results.check.rate}/s`,
        measured: `p99 ${ms(p99(r))}`,
        pass: p99(r) <= TARGETS.checkP99Ms && r.non2xx === 0 && r.errors === 0,
      };
    }),
    {
      target: `statistics p99 ≤ ${TARGETS.statisticsP99Ms} ms at ${int(results.statistics.transactions)} transactions`,
      measured: `worst p99 ${ms(worstStats)} (DAY/MONTH/YEAR)`,
      pass: worstStats <= TARGETS.statisticsP99Ms,
    },
  ];
}

export function formatReport(results: BenchResults): string {
  const { machine, single, raw, batch, check, statistics } = results;
  const rows: [string, string][] = [
    [
      "single usage debits (HTTP)",
      `${int(single.debitsPerSecond)} debits/s  (p50 ${ms(single.latencyMs.p50)}, p99 ${ms(p99(single))}, ${single.connections} connections)`,
    ],
    [
      `raw-SQL limit (${raw.driver})`,
      `${int(raw.debitsPerSecond)} debits/s  (same SQL, ${single.connections} connections; ` +
        `${int(raw.before)} before and ${int(raw.after)} after the single debits)`,
    ],
    ["single HTTP / raw SQL", `${((100 * single.debitsPerSecond) / raw.debitsPerSecond).toFixed(1)}%`],
    [
      "batched events (HTTP)",
      `${int(batch.eventsPerSecond)} events/s  (${batch.eventsPerRequest} per request, p50 ${ms(batch.latencyMs.p50)} per request)`,
    ],
  ];
  for (const pacing of ["paced", "autocannon"] as const) {
    for (const mode of ["plain", "reserve"] as const) {
      const r = check[pacing][mode];
      rows.push([
        `billing check reserve:${mode === "reserve" ? "true " : "false"} @ ${check.rate}/s ${pacing}`,
        `p50 ${ms(r.latencyMs.p50)}  p99 ${ms(p99(r))}  max ${ms(Math.max(r.latencyMs.max, r.correctedLatencyMs.max))}  (${int(r.ok / r.durationSec)} answered/s)` +
          (r.windowP99Ms ? `  p99 per ${TAIL_WINDOW_SEC} s: ${r.windowP99Ms.map(ms).join(" / ")}` : ""),
      ]);
    }
  }
  for (const [period, r] of Object.entries(statistics.byPeriod)) {
    rows.push([
      `statistics ${period.padEnd(5)} (${int(statistics.transactions)} tx)`,
      `p50 ${ms(r.latencyMs.p50)}  p99 ${ms(p99(r))}  max ${ms(r.latencyMs.max)}  (${r.ok} requests)`,
    ]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    "",
    `machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, PostgreSQL ${machine.postgres}, Node ${machine.node}`,
    `load average before ${machine.loadBefore.join(" / ")}, after ${(machine.loadAfter ?? []).join(" / ")}`,
    "All of PostgreSQL, next start and the load generator share these cores over loopback: the numbers",
    "are for the whole system on one small machine, not for the server alone.",
    "",
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    "",
    "targets:",
    ...results.verdicts.map((v) => `  ${v.pass ? "PASS" : "MISS"}  ${v.target}: ${v.measured}`),
    "",
    "query plans:",
    ...results.plans.map(
      (p) => `  ${p.pass ? "PASS" : "MISS"}  ${p.expectation}${p.pass ? "" : `; found: ${p.found}`}`,
    ),
    "",
    "p99 is the worse of two views: from each request's write to its response, and corrected for",
    "coordinated omission (from when the request was due; autocannon: its own histogram). The check",
    `target is judged on the paced load (one request every ${1000 / check.rate} ms); autocannon's overallRate sends`,
    "each connection's share of a second back to back, i.e. a burst at the top of every second, and",
    "is shown for reference. Statistics are judged by p99 (the worst of DAY/MONTH/YEAR); max is shown.",
  ];
  const checks = [...Object.values(check.paced), ...Object.values(check.autocannon)];
  const failures = [single, batch, ...checks, ...Object.values(statistics.byPeriod)].filter(
    (r) => r.non2xx > 0 || r.errors > 0,
  );
  for (const r of failures) {
    lines.push(`warning: ${r.label}: ${r.non2xx} non-2xx, ${r.errors} errors (${JSON.stringify(r.statusCodes)})`);
  }
  if (raw.failed > 0) lines.push(`warning: raw SQL: ${raw.failed} failed transactions`);
  return lines.join("\n");
}

export function writeResults(results: BenchResults): string {
  return writeResultsFile("api", results.startedAt, results);
}

/** bench-results/<prefix>-<startedAt>.json (git-ignored). */
export function writeResultsFile(prefix: string, startedAt: string, results: unknown): string {
  const dir = path.resolve("bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${prefix}-${startedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
