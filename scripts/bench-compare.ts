/**
 * `npm run bench:compare -- <before> [<after>]`: the debit figures of `npm run bench:api` for two
 * commits, in one sitting on one database server, alternating before/after so that the machine's
 * drift falls on both. Each commit runs its own bench in its own git worktree (a temporary
 * directory, node_modules hard-linked from this checkout) against its own bench database, built
 * before the first round. Prints every run, the medians, and whether single and batched debits of
 * <after> are within 10% of <before> (no more than 10% fewer per second). <after> defaults to HEAD.
 *
 *   BENCH_COMPARE_ROUNDS   before/after pairs (default 3)
 *   BENCH_*                passed to both benches (scripts/bench/config.ts), e.g. the phase lengths
 *
 * Tooling, not product: it only runs the two benches and reads their result files.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedServer } from "@/scripts/db/embedded-server";

interface RunFigures {
  label: string;
  single: number;
  batched: number;
  raw: number;
}

const WITHIN = 0.1;
const rounds = Number(process.env.BENCH_COMPARE_ROUNDS ?? 3);
const log = (line: string) => console.log(`[compare] ${line}`);

async function main(): Promise<void> {
  const [beforeRef, afterRef = "HEAD"] = process.argv.slice(2);
  if (!beforeRef || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error("usage: npm run bench:compare -- <before> [<after>]   (BENCH_COMPARE_ROUNDS ≥ 1)");
  }
  const refs = { before: commitOf(beforeRef), after: commitOf(afterRef) };
  log(
    `before ${refs.before.slice(0, 10)} (${beforeRef}), after ${refs.after.slice(0, 10)} (${afterRef}), ${rounds} rounds`,
  );

  // One server for both (kept running between runs): the embedded one unless DATABASE_URL names one.
  const server = process.env.DATABASE_URL ? null : await startEmbeddedServer(log);
  const root = mkdtempSync(path.join(tmpdir(), "bench-compare-"));
  const worktrees = { before: path.join(root, "before"), after: path.join(root, "after") };
  try {
    for (const side of ["before", "after"] as const) await prepareWorktree(worktrees[side], refs[side], side);
    const runs: RunFigures[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const side of ["before", "after"] as const) {
        log(`round ${round}/${rounds}: ${side}`);
        runs.push({ label: `${side} ${round}`, ...(await runBench(worktrees[side], side, refs[side])) });
      }
    }
    report(runs);
  } finally {
    for (const dir of Object.values(worktrees)) {
      if (existsSync(dir)) git(["worktree", "remove", "--force", dir]);
    }
    rmSync(root, { recursive: true, force: true });
    await server?.stop();
  }
}

function commitOf(ref: string): string {
  return git(["rev-parse", "--verify", `${ref}^{commit}`]).trim();
}

function git(args: string[], cwd = process.cwd()): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" });
}

async function prepareWorktree(dir: string, commit: string, side: string): Promise<void> {
  log(`${side}: worktree ${dir}`);
  git(["worktree", "add", "--detach", dir, commit]);
  // Hard links: a copy in seconds, and Next resolves packages inside the project as in a checkout.
  execFileSync("cp", ["-al", path.resolve("node_modules"), path.join(dir, "node_modules")]);
  await run(side, "npm", ["run", "db:generate"], dir);
  log(`${side}: next build`);
  await run(side, "npx", ["next", "build"], dir);
}

/** One bench:api in the worktree; its figures from the result file it reports writing. */
async function runBench(dir: string, side: string, commit: string): Promise<Omit<RunFigures, "label">> {
  const output = await run(side, "npm", ["run", "bench:api"], dir, {
    // Per commit: a bench database (and its template) is migrated by its own commit's migrations.
    BENCH_DATABASE: `bench_compare_${commit.slice(0, 12)}`,
    BENCH_STATISTICS_TRANSACTIONS: process.env.BENCH_STATISTICS_TRANSACTIONS ?? "10000",
  });
  const file = /results written to (\S+\.json)/.exec(output)?.[1];
  if (!file) throw new Error(`${side}: the bench reported no result file`);
  const results = JSON.parse(readFileSync(file, "utf8")) as {
    single: { debitsPerSecond: number };
    batch: { eventsPerSecond: number };
    raw: { debitsPerSecond: number };
  };
  return {
    single: results.single.debitsPerSecond,
    batched: results.batch.eventsPerSecond,
    raw: results.raw.debitsPerSecond,
  };
}

function run(side: string, command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(`  ${side} | ${line}`);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${side}: ${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function report(runs: RunFigures[]): void {
  const figure = (n: number) => Math.round(n).toLocaleString("en");
  console.log("\n| run | single debits/s | batched events/s | raw-SQL debits/s |\n| --- | ---: | ---: | ---: |");
  for (const r of runs) console.log(`| ${r.label} | ${figure(r.single)} | ${figure(r.batched)} | ${figure(r.raw)} |`);
  const side = (s: string) => runs.filter((r) => r.label.startsWith(s));
  const before = side("before");
  const after = side("after");
  let allWithin = true;
  console.log("\n| median | before | after | after vs before | within 10% |\n| --- | ---: | ---: | ---: | --- |");
  for (const key of ["single", "batched", "raw"] as const) {
    const b = median(before.map((r) => r[key]));
    const a = median(after.map((r) => r[key]));
    const change = (a - b) / b;
    // The criterion covers single and batched debits; the raw-SQL limit is shown for context.
    const judged = key !== "raw";
    // Faster counts as within: the question is whether <after> costs the debits more than 10%.
    const within = change >= -WITHIN;
    if (judged && !within) allWithin = false;
    const verdict = judged ? (within ? "PASS" : "MISS") : "(context)";
    console.log(`| ${key} | ${figure(b)} | ${figure(a)} | ${(change * 100).toFixed(1)}% | ${verdict} |`);
  }
  console.log(`\nsingle and batched debits of <after> within 10% of <before>: ${allWithin ? "PASS" : "MISS"}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
