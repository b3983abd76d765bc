import pg from "pg";
import { ensureLocalAppLogin } from "@/scripts/db/app-role";
import { applyMigrations } from "@/scripts/db/migrate";
import { resolveDatabase, testDatabaseUrl } from "@/scripts/db/database-url";
import { ensureDatabaseExists, withDatabase } from "@/scripts/db/embedded-server";
import { PLANTED_DRIFT_PREFIX } from "./planted-drift";

/**
 * Vitest global setup: each run gets its own database (never the demo data), created empty
 * and migrated by the project's own offline migration command, dropped at the end. The run's
 * pid is in the name, so two runs on one machine do not disturb each other. Each test then
 * makes its own mandate, so files run in parallel without truncation.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const server = await resolveDatabase({ log: () => undefined });
  const url = testDatabaseUrl(server.migrationUrl, process.pid);
  await dropStaleTestDatabases(url);
  await ensureDatabaseExists(url, { recreate: true });
  await applyMigrations(url);
  // Tests run as the app does, as a member of billing_app; what only the owner may do (plant a
  // drift, read a catalogue) goes through TEST_OWNER_DATABASE_URL (testing/owner-connection.ts).
  process.env.DATABASE_URL = await ensureLocalAppLogin(url);
  process.env.TEST_OWNER_DATABASE_URL = url;
  // Test mandates have no plan: the subscription gate is off for the suite, and the tests of the
  // gate ask for it (runBillingCheck's requireSubscription, or this variable for a test server).
  process.env.SUBSCRIPTION_REQUIRED ??= "off";
  return async () => {
    try {
      await reconcileAfterSuite();
    } catch (err) {
      // Vitest only logs what a global teardown throws ("error during close"): the exit code must fail too.
      process.exitCode = 1;
      throw err;
    } finally {
      if (!process.env.KEEP_TEST_DATABASE) await dropDatabase(url);
      await server.stop();
    }
  };
}

/**
 * After every test (the webhook and concurrency tests among them), the run's ledger must
 * reconcile (lib/reconciliation): a drift fails the run with its report. Mandates a test planted a
 * drift in on purpose are left out, and so is Stripe (each test file runs its own test server).
 * Imported here, not at the top: the database client reads DATABASE_URL, set in setup.
 */
async function reconcileAfterSuite(): Promise<void> {
  const { prisma } = await import("@/lib/db/client");
  const { pgPool } = await import("@/lib/db/pg-pool");
  const { reconcile } = await import("@/lib/reconciliation/reconcile");
  const { formatReconciliationReport } = await import("@/lib/reconciliation/format-report");
  try {
    const mandates = await prisma.mandate.findMany({
      where: { NOT: { name: { startsWith: PLANTED_DRIFT_PREFIX } } },
      select: { id: true },
    });
    const report = await reconcile({ mandateIds: mandates.map((m) => m.id), stripe: false });
    if (report.driftCount > 0) {
      throw new Error(
        `the test run's ledger does not reconcile:\n${formatReconciliationReport(report, { onlyDrift: true })}`,
      );
    }
  } finally {
    await prisma.$disconnect();
    await pgPool.end();
  }
}

async function dropDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(new URL(url).pathname.slice(1))} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Test databases left behind by runs that were killed (their pid is gone). */
async function dropStaleTestDatabases(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string; pid: string }>(
      "select datname, substring(datname from '_test_([0-9]+)') as pid from pg_database where datname ~ '_test_[0-9]+'",
    );
    // Also catches databases derived from a run's (e.g. `billing_test_123_drift`).
    for (const { datname, pid } of rows) {
      if (!isAlive(Number(pid)))
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
