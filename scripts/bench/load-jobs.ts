/**
 * What the load generator (a child process, see run-load.ts) is asked to do, and what it reports
 * back. Plain data only: jobs and results cross a process boundary as JSON.
 */

/** A mandate the benchmark books on, with the members whose usage it reports. */
export interface BenchMandate {
  mandateId: string;
  userIds: string[];
}

interface JobBase {
  /** Shown in progress lines. */
  label: string;
  baseUrl: string;
  apiKey: string;
  connections: number;
  durationSec: number;
  /**
   * Unmeasured load of the same kind right before, in the same generator process (and, paced,
   * on the same connections), so that the generator is warm too when measuring starts.
   */
  warmupSec?: number;
}

export type LoadJob =
  | (JobBase & { kind: "usage"; mandates: BenchMandate[]; runId: string })
  | (JobBase & { kind: "batch"; mandates: BenchMandate[]; runId: string; eventsPerRequest: number })
  | (JobBase & {
      kind: "check";
      mandates: BenchMandate[];
      runId: string;
      rate: number;
      reserve: boolean;
      /** "paced": one request every 1/rate s (paced-load.ts); "autocannon": its overallRate. */
      pacing: "paced" | "autocannon";
    })
  | (JobBase & { kind: "statistics"; paths: string[] });

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  label: string;
  durationSec: number;
  connections: number;
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /**
   * What the responses confirm was done: debits booked (201), batch events booked, checks
   * allowed, statistics answered complete. Counted from the response bodies, so a run whose
   * requests were all replays or refusals cannot pass for throughput.
   */
  units: number;
  /** From each request's write to its response (sub-millisecond), all statuses. */
  latencyMs: LatencySummary;
  /**
   * Corrected for coordinated omission, i.e. also counting the time a request waited to be sent:
   * autocannon's own histogram (whole milliseconds, 2xx only; corrected at a fixed rate), or for
   * the paced load the time from when each request was due.
   */
  correctedLatencyMs: Pick<LatencySummary, "p50" | "p99" | "max">;
  /** Paced load only: the corrected p99 of each consecutive 20 s window. */
  windowP99Ms?: number[];
}

export type WorkerMessage = { type: "progress"; line: string } | { type: "done"; result: LoadResult };

/** A sorted copy's percentile (nearest rank); 0 for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

export function summarizeLatencies(samples: number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  const mean = values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.at(-1) ?? 0,
    mean,
  };
}
