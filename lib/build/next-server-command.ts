import path from "node:path";

/**
 * The command that runs `next start` (or `next dev`) for npm start, the HTTP tests and the
 * benchmark: Node with V8 flags, running Next's CLI, which serves in that same process.
 *
 * --initial-old-space-size=512: under load Next promotes 10–15 MB/s into V8's old generation, and
 * with the default heap limits a mark-compact followed every 7–10 s. On a 2-core machine each one
 * stalled 30–50 consecutive requests for 40–90 ms (the concurrent marking and compaction threads
 * compete with PostgreSQL for the cores), which was the whole p99 of the billing check at 500
 * requests/s. With a 512 MB initial old space they come several times less often; the live heap
 * stays about 50 MB, so the cost is only address space (BENCHMARKS.md, "Plain check p99").
 * V8 refuses heap-size flags in NODE_OPTIONS, hence a command line.
 */
export const NEXT_SERVER_NODE_FLAGS = ["--initial-old-space-size=512"] as const;

export function nextServerCommand(nextArgs: string[]): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: [...NEXT_SERVER_NODE_FLAGS, path.resolve("node_modules", "next", "dist", "bin", "next"), ...nextArgs],
  };
}
