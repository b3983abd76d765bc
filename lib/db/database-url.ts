import { databaseName, startEmbeddedServer, withDatabase } from "./embedded-server";

export const APP_DATABASE = "billing";

/**
 * DATABASE_URL when set; otherwise the embedded server (started, or reused when already
 * running) with the app database `billing`.
 */
export async function resolveDatabase(
  opts: { log?: (line: string) => void } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const server = await startEmbeddedServer(opts.log);
  return { url: withDatabase(server.adminUrl, APP_DATABASE), stop: server.stop };
}

/** Tests use `<app database>_test` on the same server, or TEST_DATABASE_URL when set. */
export function testDatabaseUrl(appUrl: string): string {
  return process.env.TEST_DATABASE_URL ?? withDatabase(appUrl, `${databaseName(appUrl)}_test`);
}
