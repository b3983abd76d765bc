import pg from "pg";
import { ensureDatabaseExists, withDatabase } from "@/scripts/db/embedded-server";
import { applyMigrations } from "@/scripts/db/migrate";

/**
 * The bench database is a fresh copy of a template every run. The ledger is append-only, so each
 * run leaves about a million transactions behind, and with the embedded server's default shared
 * buffers the ledger's indexes then outgrow the cache and every later run books more slowly. The
 * template holds only what is expensive to make, the statistics mandate's millions of debits; a
 * file copy of it takes seconds, so every run starts from the same state and reruns stay fast.
 */
export async function migrateTemplate(serverUrl: string, name: string, log: (line: string) => void): Promise<string> {
  const url = withDatabase(serverUrl, `${name}_template`);
  await ensureDatabaseExists(url);
  const migrated = await applyMigrations(url, { log });
  if (migrated.applied.length > 0) log(`${name}_template: ${migrated.applied.length} migrations applied`);
  return url;
}

/** `name` made a fresh copy of `template` (by default `<name>_template`). */
export async function copyTemplate(
  serverUrl: string,
  name: string,
  log: (line: string) => void,
  template = `${name}_template`,
): Promise<string> {
  const started = Date.now();
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await admin.connect();
  try {
    const target = admin.escapeIdentifier(name);
    await admin.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    // FILE_COPY copies the files instead of WAL-logging every page: seconds instead of minutes.
    await admin.query(`CREATE DATABASE ${target} TEMPLATE ${admin.escapeIdentifier(template)} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  log(`${name}: fresh copy of ${template} in ${Math.round((Date.now() - started) / 1000)}s`);
  return withDatabase(serverUrl, name);
}

/** The server's version, for the report. */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    return rows[0]?.server_version ?? "unknown";
  } finally {
    await client.end();
  }
}
