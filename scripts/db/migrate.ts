import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { installJobQueueSchema } from "./job-queue-schema";

/**
 * Applies prisma/migrations without Prisma's schema engine (which cannot be downloaded
 * here), recording them exactly as `prisma migrate deploy` does: same `_prisma_migrations`
 * table, SHA-256 checksum of migration.sql, same advisory lock. A database migrated here
 * can later be managed by `prisma migrate deploy`, and the other way round.
 */
export const MIGRATIONS_DIR = path.resolve("prisma/migrations");
// The key `prisma migrate` locks with, so the two never run at once on one database.
const PRISMA_ADVISORY_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * The database records migrations this checkout does not have: it was migrated before the
 * migrations were squashed into one baseline (before 0.1.0), or by a newer checkout. Applying
 * the baseline on top would fail half-way with "already exists", so stop with what to do.
 */
export class UnknownMigrationsError extends Error {
  constructor(
    url: string,
    readonly names: string[],
  ) {
    const database = decodeURIComponent(new URL(url).pathname.slice(1));
    super(
      `database "${database}" records ${names.length} migration(s) that prisma/migrations does not have ` +
        `(${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}): it was migrated before the ` +
        `migrations were squashed into one baseline, or by a newer checkout. Drop and recreate that database ` +
        `(for the embedded default: stop the app and delete .data/postgres), then start again.`,
    );
    this.name = "UnknownMigrationsError";
  }
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function applyMigrations(
  url: string,
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => undefined);
  const migrations = await readMigrations(opts.dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const recorded = new Map(rows.map((r) => [r.migration_name, r]));
    const known = new Set(migrations.map((m) => m.name));
    const unknown = rows.map((r) => r.migration_name).filter((name) => !known.has(name));
    if (unknown.length > 0) throw new UnknownMigrationsError(url, unknown);
    const result: MigrateResult = { applied: [], alreadyApplied: [] };

    for (const migration of migrations) {
      const row = recorded.get(migration.name);
      if (row?.finished_at) {
        if (row.checksum !== migration.checksum) {
          log(`warning: ${migration.name} was edited after it was applied (checksum differs)`);
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      if (row) {
        throw new Error(`migration ${migration.name} failed earlier and is not resolved; fix the database first`);
      }
      const id = randomUUID();
      log(`applying ${migration.name}`);
      // One transaction per migration: a failing migration leaves no trace but its error.
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.name} failed: ${(err as Error).message}`);
      }
      result.applied.push(migration.name);
    }
    // The job queue's own migrations (scripts/db/job-queue-schema.ts) need ours first: they grant to billing_app.
    await installJobQueueSchema(url);
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    await client.end();
  }
}
