import http from "node:http";
import { summarizeLatencies, type LatencySummary } from "./load-jobs";

/** The tail is also reported per window of this many seconds: how steady it is within a run. */
export const TAIL_WINDOW_SEC = 20;

/**
 * An open-loop load at a truly fixed rate: request i is due at start + i / rate, whether or not
 * earlier ones have been answered. autocannon's overallRate does not do that: each connection
 * sends its share of a second back to back and then waits for the next second, so the server
 * sees a burst at the top of every second, and the latency measured is that of the burst.
 *
 * Latency is measured twice: from the moment the request was written, and from the moment it
 * was due (which also counts any wait for a free connection, i.e. coordinated omission).
 */
export interface PacedLoadOptions {
  url: string;
  rate: number;
  durationSec: number;
  /** Keep-alive connections at most; a request due while all are busy waits (and that counts). */
  maxConnections: number;
  headers: Record<string, string>;
  /**
   * Unmeasured load first, on the same connections and in the same process: the generator's own
   * JIT and its keep-alive connections are warm when measuring starts, not only the server.
   */
  warmupSec?: number;
  request: () => { method: "GET" | "POST"; path: string; body?: string };
  /** measured: false for the warm-up's responses. */
  onResponse: (status: number, body: string, measured: boolean) => void;
  /**
   * Each second since the start (the warm-up's included): answered in it, and how many of those
   * took longer than slowMs from due.
   */
  onSecond?: (second: number, answered: number, slow: number) => void;
  slowMs?: number;
}

export interface PacedLoadResult {
  /** Measured requests (the warm-up's are not counted anywhere in the result). */
  sent: number;
  statusCodes: Record<string, number>;
  errors: number;
  durationSec: number;
  latencyMs: LatencySummary;
  fromDueMs: LatencySummary;
  /** p99 from due of each consecutive TAIL_WINDOW_SEC, by due time. */
  windowP99Ms: number[];
}

export function runPacedLoad(opts: PacedLoadOptions): Promise<PacedLoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxConnections });
  const warmupMs = (opts.warmupSec ?? 0) * 1000;
  const total = Math.round(opts.rate * ((opts.warmupSec ?? 0) + opts.durationSec));
  const intervalMs = 1000 / opts.rate;
  const sinceSend: number[] = [];
  const sinceDue: number[] = [];
  const windowMs = TAIL_WINDOW_SEC * 1000;
  const byWindow: number[][] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let measuredSent = 0;
  let settled = 0;
  let answeredThisSecond = 0;
  let slowThisSecond = 0;
  let second = 0;
  const start = performance.now();
  const measuredFrom = start + warmupMs;

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      resolve({
        sent: measuredSent,
        statusCodes,
        errors,
        durationSec: (performance.now() - measuredFrom) / 1000,
        latencyMs: summarizeLatencies(sinceSend),
        fromDueMs: summarizeLatencies(sinceDue),
        windowP99Ms: byWindow.map((window) => summarizeLatencies(window).p99),
      });
    };
    const settle = () => {
      if (++settled === total) finish();
    };
    const fire = (due: number) => {
      const measured = due >= measuredFrom;
      if (measured) measuredSent++;
      const { method, path, body } = opts.request();
      const headers = body ? { ...opts.headers, "content-length": String(Buffer.byteLength(body)) } : opts.headers;
      let written = due;
      const req = http.request({ agent, host: target.hostname, port: target.port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const now = performance.now();
          answeredThisSecond++;
          if (now - due > (opts.slowMs ?? Infinity)) slowThisSecond++;
          const status = res.statusCode ?? 0;
          if (measured) {
            sinceDue.push(now - due);
            sinceSend.push(now - written);
            (byWindow[Math.floor((due - measuredFrom) / windowMs)] ??= []).push(now - due);
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          }
          opts.onResponse(status, Buffer.concat(chunks).toString(), measured);
          settle();
        });
      });
      // A request due while every connection is busy waits for one; "since send" starts here.
      req.on("socket", () => (written = performance.now()));
      req.on("error", () => {
        if (measured) errors++;
        settle();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) fire(start + sent++ * intervalMs);
      const elapsed = Math.floor((now - start) / 1000);
      if (elapsed > second) {
        second = elapsed;
        opts.onSecond?.(second, answeredThisSecond, slowThisSecond);
        answeredThisSecond = 0;
        slowThisSecond = 0;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
}
