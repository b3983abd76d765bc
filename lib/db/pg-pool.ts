import pg from "pg";
import { databaseRoleOption } from "./database-role";

/**
 * The one node-postgres pool of the process, shared by Prisma (lib/db/client.ts hands it to
 * PrismaPg) and the ledger's hot-path statements (lib/ledger/ledger-sql.ts), which skip Prisma's
 * per-call client CPU: a second pool would double the connections each server holds.
 * On globalThis for the same reason as the Prisma client: Next's dev server re-imports modules.
 *
 * Rows read through it use node-postgres' default type parsing (numeric and int8 as strings,
 * timestamptz as Date). PrismaPg sets its own parsers per query, so nothing here may call
 * pg.types.setTypeParser: that would change what Prisma returns too.
 */
const globalForPool = globalThis as unknown as { pgPool?: pg.Pool };

function createPool(): pg.Pool {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    options: databaseRoleOption(),
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  // An idle connection that dies (database restart, network) is emitted as an 'error' event;
  // PrismaPg listens only once Prisma has connected, and an unheard 'error' ends the process.
  // The pool drops that connection and opens a new one when next needed.
  pool.on("error", (err) => console.error("idle database connection failed", err));
  return pool;
}

export const pgPool: pg.Pool = globalForPool.pgPool ?? createPool();
globalForPool.pgPool = pgPool;

/**
 * Runs a named statement: each connection parses and plans it once, later calls only bind and
 * execute. The name must always come with the same text (node-postgres refuses otherwise).
 * Errors are node-postgres' own (pg.DatabaseError: SQLSTATE in `code`), not Prisma's.
 */
export async function queryNamed<R extends pg.QueryResultRow>(
  name: string,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const result = await pgPool.query<R>({ name, text, values });
  return result.rows;
}
