// Why requests survive V8's scavenges (BENCHMARKS.md, "Why so much survives a scavenge"):
// objects registered with a FinalizationRegistry, as undici's Request registers its
// AbortController, stay alive through every scavenge and are promoted to the old generation.
// Usage: node scripts/bench/finalizer-promotion.mjs
import { spawnSync } from "node:child_process";

const OBJECTS = 300_000;

function allocate(mode) {
  const registry = new FinalizationRegistry(() => {});
  const started = performance.now();
  for (let i = 0; i < OBJECTS; i++) {
    const target = { payload: new Array(50).fill(i) };
    if (mode === "registered") registry.register(target, { index: i });
  }
  return { ms: performance.now() - started, heapUsedMB: process.memoryUsage().heapUsed / 1e6 };
}

if (process.argv[2]) {
  console.log(JSON.stringify(allocate(process.argv[2])));
} else {
  for (const mode of ["plain", "registered"]) {
    const run = spawnSync(process.execPath, ["--trace-gc", import.meta.filename, mode], { encoding: "utf8" });
    const lines = run.stdout.trim().split("\n");
    const result = JSON.parse(lines.find((line) => line.startsWith("{")));
    const pauses = lines
      .filter((l) => l.includes("Scavenge"))
      .map((l) => Number(/, ([\d.]+) \/ [\d.]+ ms/.exec(l)?.[1] ?? 0));
    console.log(
      `${mode.padEnd(10)} ${OBJECTS} objects in ${result.ms.toFixed(0)} ms, heap used after ${result.heapUsedMB.toFixed(0)} MB, ` +
        `${pauses.length} scavenges, longest ${Math.max(0, ...pauses).toFixed(2)} ms`,
    );
  }
}
