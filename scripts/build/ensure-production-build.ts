import { spawn } from "node:child_process";
import { mkdirSync, rmdirSync, statSync } from "node:fs";
import path from "node:path";
import { buildIsStale } from "./build-freshness";

/**
 * Runs `next build` when the sources changed since the last build, under a lock directory so
 * that concurrent starters (test files, Playwright's web server, a developer's `npm start`)
 * build once instead of overwriting each other's `.next`.
 */
const LOCK_DIR = path.resolve(".next-build.lock");
const STALE_LOCK_MS = 10 * 60_000;

export async function ensureProductionBuild(opts: { log?: (line: string) => void; inheritOutput?: boolean } = {}) {
  if (!buildIsStale()) return;
  await withBuildLock(async () => {
    if (!buildIsStale()) return; // someone else built it while we waited
    opts.log?.("building the app (sources changed since the last build)");
    await runNextBuild(opts.inheritOutput ?? false);
  });
}

function runNextBuild(inheritOutput: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn(path.resolve("node_modules", ".bin", "next"), ["build"], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: inheritOutput ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    let output = "";
    build.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    build.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    build.on("error", reject);
    build.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed:\n${output}`))));
  });
}

async function withBuildLock(work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      const lockedAt = statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      // A lock older than that belongs to a build that was killed.
      if (Date.now() - lockedAt > STALE_LOCK_MS) rmdirSync(LOCK_DIR);
      if (Date.now() > deadline) throw new Error("timed out waiting for another next build");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    await work();
  } finally {
    rmdirSync(LOCK_DIR);
  }
}
