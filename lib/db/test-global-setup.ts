import { applyMigrations } from "./migrate";
import { resolveDatabase, testDatabaseUrl } from "./database-url";
import { ensureDatabaseExists } from "./embedded-server";

/**
 * Vitest global setup: tests get their own database (never the demo data), recreated
 * empty and migrated by the project's own offline migration command on every run.
 * Each test then makes its own mandate, so files run in parallel without truncation.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const server = await resolveDatabase({ log: () => undefined });
  const url = testDatabaseUrl(server.url);
  await ensureDatabaseExists(url, { recreate: true });
  await applyMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.TEST_DATABASE_URL = url;
  return server.stop;
}
