import { readFileSync, readdirSync } from "node:fs";
import type { DashboardClient } from "./dashboard-client";
import type { Endpoint } from "./dashboard-endpoints";

export interface EndpointResult extends Endpoint {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Status codes of the measured requests, e.g. { "200": 200 }. */
  statusCodes: Record<string, number>;
  /** Size of the last response body. */
  bytes: number;
}

export interface ExportResult {
  status: number;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Resident memory of next-server (VmRSS), MiB: right before the request, and the highest seen during it. */
  rssStartMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  rssSamples: number;
}

/** Every endpoint in turn, unmeasured, for `seconds`: the server's warm-up. */
export async function warmUp(client: DashboardClient, endpoints: Endpoint[], seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let requests = 0;
  while (Date.now() < deadline) {
    for (const endpoint of endpoints) {
      await client.timedGet(endpoint.path);
      requests++;
    }
  }
  return requests;
}

/**
 * One endpoint: `warmup` requests unmeasured, then up to `requests` measured, one after the
 * other; each phase stops early after `maxSec`, so a slow endpoint shows its figures from fewer
 * requests instead of stalling the run.
 */
export async function measureEndpoint(
  client: DashboardClient,
  endpoint: Endpoint,
  opts: { warmup: number; requests: number; maxSec: number },
): Promise<EndpointResult> {
  const run = async (count: number) => {
    const deadline = Date.now() + opts.maxSec * 1000;
    const times: number[] = [];
    const statusCodes: Record<string, number> = {};
    let bytes = 0;
    while (times.length < count && (times.length === 0 || Date.now() < deadline)) {
      const timed = await client.timedGet(endpoint.path);
      times.push(timed.ms);
      statusCodes[timed.status] = (statusCodes[timed.status] ?? 0) + 1;
      bytes = timed.bytes;
    }
    return { times, statusCodes, bytes };
  };
  await run(opts.warmup);
  const { times, statusCodes, bytes } = await run(opts.requests);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    ...endpoint,
    requests: times.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    statusCodes,
    bytes,
  };
}

/** Nearest rank on sorted values. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

/**
 * The full CSV export, read to the end and dropped (as to /dev/null), while next-server's
 * resident memory is sampled: a streamed export keeps one batch in memory at a time, so its
 * memory stays flat however many rows the mandate has.
 */
export async function measureExport(
  client: DashboardClient,
  path: string,
  serverPid: number,
  sampleMs: number,
): Promise<ExportResult> {
  const rssStart = residentMiB(serverPid);
  let rssPeak = rssStart;
  let rssSamples = 1;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, residentMiB(serverPid));
    rssSamples++;
  }, sampleMs);
  let bytes = 0;
  let newlines = 0;
  try {
    const done = await client.stream(path, (chunk) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    });
    const total = Number(done.headers["x-total-count"]);
    // The header line is not a row; X-Total-Count is counted before the stream starts.
    const rows = Number.isFinite(total) ? total : Math.max(0, newlines - 1);
    const seconds = done.ms / 1000;
    return {
      status: done.status,
      rows,
      bytes,
      seconds,
      rowsPerSecond: rows / seconds,
      rssStartMiB: rssStart,
      rssPeakMiB: rssPeak,
      rssGrowthMiB: rssPeak - rssStart,
      rssSamples,
    };
  } finally {
    clearInterval(sampler);
  }
}

function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/**
 * The process that serves: next-server. `next start` may serve in the process it was started as
 * or in a child it forks; the newest process named next-server in the tree is the one.
 */
export function nextServerPid(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const walk = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(rootPid);
  const named = tree.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("next-server");
    } catch {
      return false;
    }
  });
  return named[named.length - 1] ?? rootPid;
}
