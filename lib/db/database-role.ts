/**
 * DATABASE_ROLE: when the app's DATABASE_URL names the tables' owner (one URL for migrations and
 * app), every connection switches to this role as it opens (`-c role=…`), so the app still runs
 * with billing_app's privileges (README, "Database roles").
 */
export function databaseRoleOption(role = process.env.DATABASE_ROLE): string | undefined {
  if (!role) return undefined;
  if (!/^[a-z_][a-z0-9_$]*$/.test(role)) throw new Error(`DATABASE_ROLE ${JSON.stringify(role)} is no role name`);
  return `-c role=${role}`;
}
