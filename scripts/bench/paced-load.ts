import http from "node:http";
import { summarizeLatencies, type LatencySummary } from "./load-jobs";

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
  request: () => { method: "GET" | "POST"; path: string; body?: string };
  onResponse: (status: number, body: string) => void;
  onSecond?: (second: number, answered: number) => void;
}

export interface PacedLoadResult {
  sent: number;
  statusCodes: Record<string, number>;
  errors: number;
  durationSec: number;
  latencyMs: LatencySummary;
  fromDueMs: LatencySummary;
}

export function runPacedLoad(opts: PacedLoadOptions): Promise<PacedLoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxConnections });
  const total = Math.round(opts.rate * opts.durationSec);
  const intervalMs = 1000 / opts.rate;
  const sinceSend: number[] = [];
  const sinceDue: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let settled = 0;
  let answeredThisSecond = 0;
  let second = 0;
  const start = performance.now();

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      resolve({
        sent,
        statusCodes,
        errors,
        durationSec: (performance.now() - start) / 1000,
        latencyMs: summarizeLatencies(sinceSend),
        fromDueMs: summarizeLatencies(sinceDue),
      });
    };
    const settle = () => {
      if (++settled === total) finish();
    };
    const fire = (due: number) => {
      const { method, path, body } = opts.request();
      const headers = body ? { ...opts.headers, "content-length": String(Buffer.byteLength(body)) } : opts.headers;
      let written = due;
      const req = http.request({ agent, host: target.hostname, port: target.port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const now = performance.now();
          sinceDue.push(now - due);
          sinceSend.push(now - written);
          answeredThisSecond++;
          const status = res.statusCode ?? 0;
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          opts.onResponse(status, Buffer.concat(chunks).toString());
          settle();
        });
      });
      // A request due while every connection is busy waits for one; "since send" starts here.
      req.on("socket", () => (written = performance.now()));
      req.on("error", () => {
        errors++;
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
        opts.onSecond?.(second, answeredThisSecond);
        answeredThisSecond = 0;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
}
