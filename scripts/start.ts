/**
 * `npm start` / `npm run dev`: one command from a fresh clone to a running app.
 *   1. database: DATABASE_URL, or the embedded PostgreSQL (started, or reused if running)
 *   2. migrations (offline, Prisma-compatible), as the tables' owner (MIGRATION_DATABASE_URL); the
 *      app then connects as a member of billing_app, which cannot write the ledger around its
 *      functions (scripts/db/app-role.ts)
 *   3. sign-in settings: NEXTAUTH_SECRET (else a random one kept in .data/nextauth-secret) and
 *      NEXTAUTH_URL (else http://localhost:$PORT); payments: Stripe when STRIPE_SECRET_KEY is set,
 *      else the offline Stripe test server (scripts/stripe-test-server/for-start.ts)
 *   4. the demo data (idempotent) on the embedded default database only, unless SEED_DEMO=1 asks
 *      for it (SEED_DEMO=0 skips it; scripts/db/demo-seed-decision.ts) and, at the same time,
 *      `next build` when the sources are newer than the last build (start only); then
 *      `next start`/`next dev`
 * The database server stops when this process stops; its data stays in .data/postgres (as root
 * in a folder the `postgres` system user cannot enter, under /var/tmp: the log names the folder).
 */
import { spawn } from "node:child_process";
import { ensureNextAuthSecret } from "@/lib/auth/nextauth-secret";
import { ensureProductionBuild } from "@/scripts/build/ensure-production-build";
import { nextServerCommand } from "@/scripts/build/next-server-command";
import { prepareDatabase } from "@/scripts/db/database-url";
import { decideDemoSeed } from "@/scripts/db/demo-seed-decision";
import { ledgerGuarded } from "@/scripts/db/app-role";
import { startOfflineStripeUnlessConfigured } from "@/scripts/stripe-test-server/for-start";

const mode = process.argv[2] === "dev" ? "dev" : "start";
const port = process.env.PORT ?? "3000";
const log = (line: string) => console.log(`[start] ${line}`);

async function main(): Promise<void> {
  // Decided before prepareDatabase: from here on DATABASE_URL is set for the embedded server too.
  const demoSeed = decideDemoSeed(process.env);
  log(demoSeed.reason);
  const database = await prepareDatabase({ log });
  log(
    `migrations: ${database.migrated.applied.length} applied, ${database.migrated.alreadyApplied.length} already applied`,
  );
  if (!(await ledgerGuarded(database.appUrl)))
    log(
      "WARNING: the app connects as a role that may write billing_transaction directly; " +
        "connect as a member of billing_app (README, Database roles)",
    );

  process.env.NEXTAUTH_SECRET = ensureNextAuthSecret();
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  const stopOfflineStripe = await startOfflineStripeUnlessConfigured({ appPort: port, log });

  // The build does not read the database, so a first start seeds while it builds. Both finish
  // before the server starts; a failure of either is reported once the other has ended.
  const ready = await Promise.allSettled([
    demoSeed.seed ? seedDemo() : Promise.resolve(),
    mode === "start" ? ensureProductionBuild({ log, inheritOutput: true }) : Promise.resolve(),
  ]);
  const failed = ready.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;

  log(`serving on http://localhost:${port}`);
  const exitCode = await run(nextServerCommand([mode, "-p", port]));
  await stopOfflineStripe?.();
  await database.stop();
  process.exit(exitCode);
}

async function seedDemo(): Promise<void> {
  // Imported only now: the Prisma client reads DATABASE_URL when it is first loaded.
  const { seedDemoData } = await import("@/prisma/seed/seed-demo");
  await seedDemoData({ log });
}

function run({ command, args }: { command: string; args: string[] }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env: process.env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", reject);
    child.on("exit", (code) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? 1);
    });
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
