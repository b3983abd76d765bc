/**
 * Database commands that work without network and without Prisma's schema engine.
 *   tsx scripts/db.ts migrate   apply prisma/migrations (records them like `prisma migrate deploy`)
 *   tsx scripts/db.ts up        start the embedded server (if DATABASE_URL is unset) and keep it running
 *   tsx scripts/db.ts url       print the database URL the app would use (run after migrate)
 */
import { resolveDatabase, type ResolvedDatabase } from "@/scripts/db/database-url";
import { ensureDatabaseExists } from "@/scripts/db/embedded-server";
import { applyMigrations } from "@/scripts/db/migrate";

const log = (line: string) => console.log(line);

const commands: Record<string, (database: ResolvedDatabase) => Promise<void>> = {
  async migrate({ migrationUrl }) {
    await ensureDatabaseExists(migrationUrl);
    const result = await applyMigrations(migrationUrl, { log });
    log(`migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
    process.exit(0);
  },
  async up({ migrationUrl }) {
    await ensureDatabaseExists(migrationUrl);
    log(`database server up: ${migrationUrl} (Ctrl-C stops it)`);
    await new Promise(() => undefined);
  },
  async url(database) {
    log(await database.appUrl());
    process.exit(0);
  },
};

async function main(name = ""): Promise<void> {
  const command = commands[name];
  if (!command) {
    console.error(`usage: tsx scripts/db.ts ${Object.keys(commands).join("|")}`);
    process.exit(2);
  }
  await command(await resolveDatabase({ log }));
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
