import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedServer } from "./embedded-server";

// A second embedded cluster of its own (own port and data folder), so the claims of `npm start`
// are tested for real: a second start reuses a running server, and data survives a restart.
// Below Linux's ephemeral range (32768-60999): a port in it can already be the local end of one
// of the other test files' loopback connections, and PostgreSQL's bind then fails (seen once in
// CI at 55138: "did not start").
const port = 31_000 + (process.pid % 1000);
const dataDir = path.join(tmpdir(), `billing-embedded-test-${process.pid}`);
const quiet = () => undefined;
/** Where the data went: dataDir, or a folder under /var/tmp when the postgres user cannot reach it. */
const usedDataDirs = new Set([dataDir]);

afterAll(() => {
  for (const dir of usedDataDirs) rmSync(dir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("reuses a running server and keeps its data across a restart", async () => {
    const first = await startEmbeddedServer(quiet, { port, dataDir });
    if (first.dataDir) usedDataDirs.add(first.dataDir);
    expect(first.startedHere).toBe(true);
    try {
      const second = await startEmbeddedServer(quiet, { port, dataDir });
      expect(second).toMatchObject({ startedHere: false, adminUrl: first.adminUrl });
      await second.stop(); // a reusing process must leave the server running
      await query(first.adminUrl, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')");
    } finally {
      await first.stop();
    }

    const restarted = await startEmbeddedServer(quiet, { port, dataDir });
    try {
      expect(restarted.startedHere).toBe(true);
      expect(await query<{ v: string }>(restarted.adminUrl, "SELECT v FROM kept")).toEqual([{ v: "survives" }]);
    } finally {
      await restarted.stop();
    }
  }, 120_000);
});
