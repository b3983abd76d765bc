import pg from "pg";
import { databaseRoleOption } from "@/lib/db/database-role";

/**
 * The app's database role (prisma/migrations/20261205500000_app_role): `billing_app` may read
 * every table and write what the dashboard edits, but it can neither book around the ledger
 * functions nor alter a table. The migrations create it (NOLOGIN); a login role that is a member
 * of it is what the app connects as.
 */
export const APP_ROLE = "billing_app";

/** The login role of the embedded default database and of test databases. */
const LOCAL_APP_LOGIN = { user: "billing_app_user", password: "billing_app_user" };

/**
 * Creates (or keeps) the local login role, a member of billing_app, and returns `ownerUrl` with
 * it as the user. Only for servers this project runs itself (the embedded server, test servers):
 * its password is published. Run after the migrations, which create billing_app.
 */
export async function ensureLocalAppLogin(ownerUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const user = client.escapeIdentifier(LOCAL_APP_LOGIN.user);
    const password = client.escapeLiteral(LOCAL_APP_LOGIN.password);
    // Two concurrent test runs may both create it: the loser's duplicate_object is fine.
    await client
      .query(`CREATE ROLE ${user} LOGIN PASSWORD ${password} IN ROLE ${APP_ROLE}`)
      .catch((err: { code?: string }) => {
        if (err.code !== "42710") throw err;
      });
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = LOCAL_APP_LOGIN.user;
  url.password = LOCAL_APP_LOGIN.password;
  return url.toString();
}

/**
 * What the app's connection may do to the ledger: a connection that can insert transactions
 * directly is an owner (or a superuser), and nothing but the code keeps the ledger whole.
 */
export async function ledgerGuarded(appUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: appUrl, options: databaseRoleOption() });
  await client.connect();
  try {
    const { rows } = await client.query<{ may_insert: boolean }>(
      "select has_table_privilege('billing_transaction', 'INSERT') as may_insert",
    );
    return !rows[0]?.may_insert;
  } finally {
    await client.end();
  }
}
