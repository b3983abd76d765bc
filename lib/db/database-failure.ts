/**
 * Which database errors are not the code's fault, so the HTTP layer answers them as such instead
 * of 500: "invalid-input" when PostgreSQL refused a value the request carried (the edge schemas
 * should have caught it first), "unavailable" when the database could not be reached or gave up
 * on a lock or a serialization conflict, so the same request (same idempotency key) may be
 * repeated. Prisma wraps driver errors (originalCode, cause, meta.driverAdapterError, kind);
 * node-postgres and the pool throw their own; a refused connection may be an AggregateError.
 */
export type DatabaseFailure = "invalid-input" | "unavailable";

const INPUT_SQLSTATES = new Set(["22001", "22003", "22007", "22008", "22021", "22P02", "22P05"]);
const INPUT_KINDS = new Set(["InvalidInputValue", "ValueOutOfRange", "LengthMismatch"]);

/** 08: connection exception; 57P0x: server shutting down; 53300: too many connections; 40: retry; 55P03/57014: timeouts. */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300|40001|40P01|55P03|57014)$/;
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionWriteConflict",
]);
const UNAVAILABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EAI_AGAIN"]);
/** Prisma: can't reach / timed out / closed the connection; pool timeout; write conflict or deadlock. */
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2034"]);
/** node-postgres and pg-pool say these in words only. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|terminating connection/i;

export function classifyDatabaseFailure(err: unknown): DatabaseFailure | undefined {
  let input = false;
  for (const node of errorChain(err)) {
    const code = typeof node.code === "string" ? node.code : undefined;
    const sqlState = typeof node.originalCode === "string" ? node.originalCode : code;
    const kind = typeof node.kind === "string" ? node.kind : undefined;
    if (
      (sqlState && UNAVAILABLE_SQLSTATE.test(sqlState)) ||
      (kind && UNAVAILABLE_KINDS.has(kind)) ||
      (code && (UNAVAILABLE_NODE_CODES.has(code) || UNAVAILABLE_PRISMA_CODES.has(code))) ||
      (typeof node.message === "string" && UNAVAILABLE_MESSAGE.test(node.message))
    ) {
      return "unavailable";
    }
    if ((sqlState && INPUT_SQLSTATES.has(sqlState)) || (kind && INPUT_KINDS.has(kind))) input = true;
  }
  return input ? "invalid-input" : undefined;
}

/** The error and every error it wraps, breadth first, bounded (causes can be cyclic). */
function errorChain(err: unknown): Record<string, unknown>[] {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  const chain: Record<string, unknown>[] = [];
  while (queue.length > 0 && chain.length < 20) {
    const next = queue.shift();
    if (!next || typeof next !== "object" || seen.has(next)) continue;
    seen.add(next);
    const record = next as Record<string, unknown>;
    chain.push(record);
    queue.push(record.cause, record.meta, record.driverAdapterError, record.originalError);
    if (Array.isArray(record.errors)) queue.push(...(record.errors as unknown[]));
  }
  return chain;
}
