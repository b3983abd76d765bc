import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseName, ensureDatabaseExists, withDatabase } from "./embedded-server";
import { applyMigrations, MIGRATIONS_DIR, type MigrateResult } from "./migrate";
import { ownerDatabaseUrl } from "@/testing/owner-connection";
import { findSchemaDrift } from "./schema-drift";

/**
 * The committed migrations, applied to an empty database, must give exactly what schema.prisma
 * declares: a schema change without its migration fails here. Each database below is a sibling
 * of the run's test database (same server, pid in the name), created empty and dropped after.
 */

function siblingUrl(suffix: string): string {
  const url = ownerDatabaseUrl();
  return withDatabase(url, `${databaseName(url)}_${suffix}`);
}

async function dropDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName(url))} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const driftReport = (drift: string[]) => `schema.prisma and prisma/migrations disagree:\n  ${drift.join("\n  ")}`;

async function migrationNames(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

describe("prisma/migrations applied to an empty database", () => {
  const url = siblingUrl("drift");
  let firstRun: MigrateResult;

  beforeAll(async () => {
    await ensureDatabaseExists(url, { recreate: true });
    firstRun = await applyMigrations(url);
  });
  afterAll(() => dropDatabase(url));

  it("applies every migration, in order", async () => {
    expect(firstRun).toEqual({ applied: await migrationNames(), alreadyApplied: [] });
  });

  it("yields exactly the tables, columns, enums, keys, indexes and foreign keys of schema.prisma", async () => {
    const drift = await findSchemaDrift(url);
    expect(drift, driftReport(drift)).toEqual([]);
  });

  it("keeps the hand-written SQL the schema cannot express, without calling it drift", async () => {
    const found = await withClient(url, async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT conname AS name FROM pg_constraint
          WHERE contype = 'c' AND connamespace = current_schema()::regnamespace
         UNION ALL SELECT tgname FROM pg_trigger WHERE NOT tgisinternal
         UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
         UNION ALL SELECT typname FROM pg_type WHERE typtype = 'c' AND typname = 'ledger_booking'`,
      );
      return rows.map((r) => r.name);
    });
    // Present in the database that the drift check above found equal to the schema.
    expect(found).toEqual(
      expect.arrayContaining([
        "billing_transaction_amount_sign_check",
        "billing_account_currency_check",
        "billing_settings_recharge_check",
        "billing_reservation_open_iff_unsettled",
        "billing_account_reserved_amount_not_negative",
        "billing_reservation_expire_account",
        "billing_reservation_reserved_update",
        "billing_transaction_immutable_row",
        "billing_transaction_immutable_truncate",
        "ledger_post",
        "ledger_post_usage",
        "ledger_booking",
      ]),
    );
  });

  it("makes the (mandate_id, user_id) index of billing_account NULLS NOT DISTINCT: one pool account per mandate", async () => {
    await withClient(url, async (client) => {
      const { rows } = await client.query<{ nulls_not_distinct: boolean }>(
        `SELECT i.indnullsnotdistinct AS nulls_not_distinct FROM pg_index i
          WHERE i.indexrelid = 'billing_account_mandate_id_user_id_key'::regclass AND i.indisunique`,
      );
      expect(rows).toEqual([{ nulls_not_distinct: true }]);

      const mandate = await client.query<{ id: string }>(`INSERT INTO mandate (name) VALUES ('drift') RETURNING id`);
      const mandateId = mandate.rows[0]?.id;
      await client.query(`INSERT INTO billing_account (mandate_id) VALUES ($1)`, [mandateId]);
      await expect(
        client.query(`INSERT INTO billing_account (mandate_id) VALUES ($1)`, [mandateId]),
      ).rejects.toMatchObject({ code: "23505", constraint: "billing_account_mandate_id_user_id_key" });
      const pools = await client.query(`SELECT 1 FROM billing_account WHERE mandate_id = $1 AND user_id IS NULL`, [
        mandateId,
      ]);
      expect(pools.rowCount).toBe(1);
    });
  });

  it("does nothing when run again", async () => {
    expect(await applyMigrations(url)).toEqual({ applied: [], alreadyApplied: await migrationNames() });
  });

  it("refuses a database that records migrations this checkout does not have, and changes nothing", async () => {
    const sibling = siblingUrl("drift_unknown");
    await ensureDatabaseExists(sibling, { recreate: true });
    try {
      await applyMigrations(sibling);
      await withClient(sibling, (client) =>
        client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES (gen_random_uuid(), 'x', '20261124120100_ledger_core', now(), 1)`,
        ),
      );
      await expect(applyMigrations(sibling)).rejects.toThrow(/20261124120100_ledger_core.*delete \.data\/postgres/s);
      const { rows } = await withClient(sibling, (client) =>
        client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`),
      );
      expect(rows).toEqual([{ n: (await migrationNames()).length + 1 }]);
    } finally {
      await dropDatabase(sibling);
    }
  });

  it("records each migration as `prisma migrate deploy` does: SHA-256 of migration.sql, finished", async () => {
    const expected = await Promise.all(
      (await migrationNames()).map(async (name) => ({
        migration_name: name,
        checksum: createHash("sha256")
          .update(await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql")))
          .digest("hex"),
        finished: true,
        rolled_back: false,
        applied_steps_count: 1,
      })),
    );
    const { rows } = await withClient(url, (client) =>
      client.query(
        `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished,
                rolled_back_at IS NOT NULL AS rolled_back, applied_steps_count
           FROM "_prisma_migrations" ORDER BY migration_name`,
      ),
    );
    expect(rows).toEqual(expected);
  });
});

describe("the drift check", () => {
  const url = siblingUrl("drift_probe");

  beforeAll(async () => {
    await ensureDatabaseExists(url, { recreate: true });
    await applyMigrations(url);
  });
  afterAll(() => dropDatabase(url));

  it("reports every change made to the database behind the schema's back", async () => {
    await withClient(url, (client) =>
      client.query(`
        ALTER TABLE billing_settings DROP COLUMN notify_on_warning;
        ALTER TABLE billing_settings ADD COLUMN stray TEXT;
        ALTER TABLE billing_settings ALTER COLUMN recharge_max_per_month SET DEFAULT 5;
        ALTER TABLE billing_settings DROP CONSTRAINT billing_settings_mandate_id_fkey;
        ALTER TABLE billing_settings ADD CONSTRAINT billing_settings_mandate_id_fkey
          FOREIGN KEY (mandate_id) REFERENCES mandate(id) ON DELETE RESTRICT ON UPDATE CASCADE;
        ALTER TABLE app_user ALTER COLUMN locale SET NOT NULL;
        ALTER TABLE billing_transaction ALTER COLUMN feature_code TYPE VARCHAR(200);
        DROP INDEX membership_user_id_idx;
        DROP INDEX billing_reservation_unsettled_expires_at_idx;
        CREATE INDEX billing_reservation_unsettled_expires_at_idx ON billing_reservation (expires_at) WHERE status = 'OPEN';
        DROP INDEX billing_account_mandate_id_user_id_key;
        CREATE UNIQUE INDEX billing_account_mandate_id_user_id_key ON billing_account (mandate_id, user_id);
        ALTER TYPE "PeriodType" ADD VALUE 'WEEK';
        CREATE TABLE stray_table (id INTEGER PRIMARY KEY);
      `),
    );

    expect(await findSchemaDrift(url)).toEqual([
      "app_user.locale: NOT NULL in the database, nullable in schema.prisma",
      "billing_account: unique index (mandate_id, user_id) must be NULLS NOT DISTINCT but is not",
      `billing_reservation: index (expires_at) WHERE (settled_at IS NULL): missing in the database`,
      `billing_reservation: index (expires_at) WHERE (status = 'OPEN'::"ReservationStatus"): in the database, not in schema.prisma`,
      "billing_settings.recharge_max_per_month: default is 5 in the database, 3 in schema.prisma",
      "billing_settings: column notify_on_warning: missing in the database",
      "billing_settings: column stray: in the database, not in schema.prisma",
      "billing_settings: foreign key (mandate_id) -> mandate(id) ON DELETE Cascade ON UPDATE Cascade: missing in the database",
      "billing_settings: foreign key (mandate_id) -> mandate(id) ON DELETE Restrict ON UPDATE Cascade: in the database, not in schema.prisma",
      "billing_transaction.feature_code: type is character varying(200) in the database, text in schema.prisma",
      "enum PeriodType: value WEEK: in the database, not in schema.prisma",
      "membership: index (user_id): missing in the database",
      "table stray_table: in the database, not in schema.prisma",
    ]);
  });
});
