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

/** The API key's answers, shared by every machine-API route. */
export const API_KEY_ERRORS = {
  401: errorContent("Missing, unknown or revoked API key"),
  403: errorContent("API key not allowed for this mandate"),
} as const;

/** The answers of lib/http/parse-json.ts, shared by every route with a JSON body. */
export const JSON_BODY_ERRORS = {
  400: errorContent("Invalid input (field paths in details) or invalid JSON"),
  413: errorContent("Request body larger than 2 MiB"),
  415: errorContent("Content-Type is not application/json"),
} as const;
