/**
 * The load generator, run as a child process (forked by run-load.ts) so that its CPU use is its
 * own process, scheduled like the server's, instead of sharing the orchestrating process's event
 * loop. Receives one LoadJob, reports progress, sends the LoadResult, exits.
 */
import autocannon, { type AutocannonOptions, type AutocannonRequestStep } from "autocannon";
import { summarizeLatencies, type LoadJob, type LoadResult, type WorkerMessage } from "./load-jobs";
import { runPacedLoad } from "./paced-load";
import { TARGETS } from "./report";
import { billingCheck, usageEvent } from "./usage-events";

const send = (message: WorkerMessage) => process.send?.(message);

process.once("message", (job: LoadJob) => {
  const run = job.kind === "check" && job.pacing === "paced" ? runPaced(job) : runAutocannon(job);
  run.then(
    (result) => {
      send({ type: "done", result });
      process.disconnect();
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});

const headers = (job: LoadJob) => ({ authorization: `Bearer ${job.apiKey}`, "content-type": "application/json" });

/** The warm-up, then the measured run, in this one process (its JIT warm for the measurement). */
async function runAutocannon(job: LoadJob): Promise<LoadResult> {
  if (job.warmupSec) await runAutocannonOnce({ ...job, label: `warm-up ${job.label}`, durationSec: job.warmupSec });
  return runAutocannonOnce(job);
}

async function runAutocannonOnce(job: LoadJob): Promise<LoadResult> {
  let units = 0;
  const step = request(job, nextKey(job), (n) => (units += n));
  const options: AutocannonOptions = {
    url: job.baseUrl,
    connections: job.connections,
    duration: job.durationSec,
    timeout: 30,
    headers: headers(job),
    requests: [step],
    ...(job.kind === "check" ? { overallRate: job.rate } : {}),
  };
  const samples: number[] = [];
  const instance = autocannon(options);
  let second = 0;
  let window = 0;
  instance.on("response", (_client, _status, _bytes, ms) => samples.push(ms));
  instance.on("tick", ({ counter }) => {
    window += counter;
    if (++second % 5 === 0) {
      send({ type: "progress", line: `${job.label}: ${second}s, ${Math.round(window / 5)} requests/s` });
      window = 0;
    }
  });
  const result = await instance;
  return {
    label: job.label,
    durationSec: result.duration,
    connections: job.connections,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]),
    ),
    units,
    latencyMs: summarizeLatencies(samples),
    correctedLatencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}

async function runPaced(job: Extract<LoadJob, { kind: "check" }>): Promise<LoadResult> {
  let units = 0;
  const key = nextKey(job);
  let window = 0;
  let slowInWindow = 0;
  const result = await runPacedLoad({
    url: job.baseUrl,
    rate: job.rate,
    durationSec: job.durationSec,
    maxConnections: job.connections,
    warmupSec: job.warmupSec,
    headers: headers(job),
    request: () => ({
      method: "POST",
      path: "/api/v1/billing/check",
      body: JSON.stringify(billingCheck(job.mandates, job.reserve, key())),
    }),
    onResponse: (status, body, measured) =>
      (units += measured && status === 200 && readField(body, "allowed") === true ? 1 : 0),
    // Progress counts the answers slower than the target from when they were due.
    slowMs: TARGETS.checkP99Ms,
    onSecond: (second, answered, slow) => {
      window += answered;
      slowInWindow += slow;
      if (second % 5 === 0) {
        const warm = second <= (job.warmupSec ?? 0);
        const at = warm ? `warm-up ${job.label}: ${second}s` : `${job.label}: ${second - (job.warmupSec ?? 0)}s`;
        const line = `${at}, ${Math.round(window / 5)} answered/s, ${slowInWindow} over ${TARGETS.checkP99Ms} ms`;
        send({ type: "progress", line });
        window = 0;
        slowInWindow = 0;
      }
    },
  });
  const count = (pred: (status: number) => boolean) =>
    Object.entries(result.statusCodes).reduce((sum, [status, n]) => sum + (pred(Number(status)) ? n : 0), 0);
  return {
    label: job.label,
    durationSec: result.durationSec,
    connections: job.connections,
    ok: count((status) => status >= 200 && status < 300),
    non2xx: count((status) => status < 200 || status >= 300),
    errors: result.errors,
    timeouts: 0,
    statusCodes: result.statusCodes,
    units,
    latencyMs: result.latencyMs,
    correctedLatencyMs: { p50: result.fromDueMs.p50, p99: result.fromDueMs.p99, max: result.fromDueMs.max },
    windowP99Ms: result.windowP99Ms,
  };
}

/** Unique idempotency keys: the run's id, this process, a counter shared by warm-up and measurement. */
let keyCounter = 0;
function nextKey(job: LoadJob): () => string {
  const prefix = `${"runId" in job ? job.runId : "stats"}-${process.pid}`;
  return () => `${prefix}-${++keyCounter}`;
}

function request(job: LoadJob, key: () => string, confirm: (units: number) => void): AutocannonRequestStep {
  switch (job.kind) {
    case "usage":
      return {
        method: "POST",
        path: "/api/v1/billing/usage",
        setupRequest: (req) => ({ ...req, body: JSON.stringify(usageEvent(job.mandates, key())) }),
        onResponse: (status) => confirm(status === 201 ? 1 : 0),
      };
    case "batch":
      return {
        method: "POST",
        path: "/api/v1/billing/usage/batch",
        setupRequest: (req) => {
          const events = Array.from({ length: job.eventsPerRequest }, () => usageEvent(job.mandates, key()));
          return { ...req, body: JSON.stringify({ events }) };
        },
        onResponse: (status, body) => {
          const booked = readField(body, "booked");
          confirm(status === 200 && typeof booked === "number" ? booked : 0);
        },
      };
    case "check":
      return {
        method: "POST",
        path: "/api/v1/billing/check",
        setupRequest: (req) => ({ ...req, body: JSON.stringify(billingCheck(job.mandates, job.reserve, key())) }),
        onResponse: (status, body) => confirm(status === 200 && readField(body, "allowed") === true ? 1 : 0),
      };
    case "statistics": {
      let next = 0;
      return {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: job.paths[next++ % job.paths.length] }),
        onResponse: (status, body) => confirm(status === 200 && readField(body, "complete") === true ? 1 : 0),
      };
    }
  }
}

function readField(body: string, field: string): unknown {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
  }
}
