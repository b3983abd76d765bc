/**
 * `npm run db:seed`: demo data (prisma/seed/seed-demo.ts) in the app database, idempotently.
 * Uses DATABASE_URL when set, else the embedded server's `billing` database, which it creates
 * and migrates first, so a fresh checkout needs nothing but this command.
 */
import { prepareDatabase } from "@/scripts/db/database-url";

const log = (line: string) => console.log(line);

async function main(): Promise<void> {
  const { migrated } = await prepareDatabase({ log });
  log(`migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already applied`);
  // lib/db/client reads DATABASE_URL when it is first imported, hence the late import.
  const { seedDemoData } = await import("@/prisma/seed/seed-demo");
  await seedDemoData({ log });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
