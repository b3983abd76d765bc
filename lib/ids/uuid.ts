import { z } from "zod";

/**
 * Ids of rows are UUIDs. Two checks, for two jobs: isUuid asks whether a string can name a row
 * at all (any 8-4-4-4-12 hex string casts to PostgreSQL's uuid), so a lookup by a malformed id
 * answers "not found" instead of failing the cast; Uuid validates what a caller sends, by
 * RFC 9562 as zod reads it.
 */
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_SHAPE.test(value);
}

export const Uuid = z.uuid({ message: "must be a UUID" });
