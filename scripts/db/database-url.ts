import { databaseName, startEmbeddedServer, withDatabase } from "./embedded-server";

/** The app database on the embedded server; the e2e suite uses its own (APP_DATABASE=billing_e2e). */
export const APP_DATABASE = process.env.APP_DATABASE ?? "billing";

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

/** A test run uses `<app database>_test_<pid>` on the same server (or on TEST_DATABASE_SERVER_URL's). */
export function testDatabaseUrl(appUrl: string, runId: number): string {
  const base = process.env.TEST_DATABASE_SERVER_URL ?? appUrl;
  return withDatabase(base, `${databaseName(appUrl)}_test_${runId}`);
}
