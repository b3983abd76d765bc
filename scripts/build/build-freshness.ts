import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What a production build depends on; a newer file here means `next build` must run again. */
const SOURCES = [
  "app",
  "components",
  "lib",
  "locales",
  "instrumentation.ts",
  "next.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];
const IGNORED = new Set(["generated", "node_modules"]);

export function buildIsStale(root = "."): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestSourceMtime(path.join(root, source)) > built);
}

function newestSourceMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(target) ? 0 : stat.mtimeMs;
  return readdirSync(target)
    .filter((name) => !IGNORED.has(name))
    .reduce((newest, name) => Math.max(newest, newestSourceMtime(path.join(target, name))), stat.mtimeMs);
}
