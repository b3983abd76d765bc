import { ErrorBodySchema } from "./common-schemas";

/**
 * Building blocks for OpenAPI route entries. They live apart from lib/api/openapi.ts because that
 * module imports every routes module: a value imported back from it would be read before it
 * exists whenever a route handler (not the document) loads first.
 */
export function json<T>(schema: T): { "application/json": { schema: T } } {
  return { "application/json": { schema } };
}

/** An error response entry with the shared `{ error: { code, message, details } }` body. */
export function errorContent(description: string) {
  return { description, content: json(ErrorBodySchema) };
}
