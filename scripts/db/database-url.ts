import { ensureLocalAppLogin } from "./app-role";
import { databaseName, ensureDatabaseExists, startEmbeddedServer, withDatabase } from "./embedded-server";
import { applyMigrations, type MigrateResult } from "./migrate";

/** The app database on the embedded server; the e2e suite uses its own (APP_DATABASE=billing_e2e). */
export const APP_DATABASE = process.env.APP_DATABASE ?? "billing";

export interface ResolvedDatabase {
  /** Where migrations run: as the owner of the tables and the ledger functions. */
  migrationUrl: string;
  /**
   * Where the app connects, as a member of billing_app (scripts/db/app-role.ts). Call it after
   * the migrations: on the embedded server they create the role its login joins.
   */
  appUrl: () => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * DATABASE_URL (the app's connection) and MIGRATION_DATABASE_URL (the owner's; DATABASE_URL when
 * unset) when set; otherwise the embedded server (started, or reused when already running) with the
 * app database `billing`, migrated as `postgres` and used by the app as `billing_app_user`.
 */
export async function resolveDatabase(opts: { log?: (line: string) => void } = {}): Promise<ResolvedDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) {
    return {
      migrationUrl: process.env.MIGRATION_DATABASE_URL || given,
      appUrl: async () => given,
      stop: async () => undefined,
    };
  }
  const server = await startEmbeddedServer(opts.log);
  const migrationUrl = withDatabase(server.adminUrl, APP_DATABASE);
  return { migrationUrl, appUrl: () => ensureLocalAppLogin(migrationUrl), stop: server.stop };
}

/** A test run uses `<app database>_test_<pid>` on the same server (or on TEST_DATABASE_SERVER_URL's). */
export function testDatabaseUrl(ownerUrl: string, runId: number): string {
  const base = process.env.TEST_DATABASE_SERVER_URL ?? ownerUrl;
  return withDatabase(base, `${databaseName(ownerUrl)}_test_${runId}`);
}

/**
 * What every command that uses the database does first: create it if missing, migrate it as the
 * owner, and point DATABASE_URL at the app's connection (the Prisma client and the pg pool read it
 * when first imported, so callers import lib/db only after this).
 */
export async function prepareDatabase(
  opts: { log?: (line: string) => void } = {},
): Promise<{ migrationUrl: string; appUrl: string; migrated: MigrateResult; stop: () => Promise<void> }> {
  const database = await resolveDatabase(opts);
  await ensureDatabaseExists(database.migrationUrl);
  const migrated = await applyMigrations(database.migrationUrl, { log: opts.log });
  const appUrl = await database.appUrl();
  process.env.DATABASE_URL = appUrl;
  return { migrationUrl: database.migrationUrl, appUrl, migrated, stop: database.stop };
}
