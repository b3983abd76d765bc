import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ERROR_CODES } from "@/lib/errors";

/**
 * Building blocks for the OpenAPI entries each lib/api/routes/<area>.ts lists. They live apart
 * from lib/api/openapi.ts, which imports every routes module to build the document, so that no
 * routes module imports openapi.ts back.
 */

/** One documented route. */
export type ApiRoute = RouteConfig;

const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

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

/**
 * Every operation that reads or writes the database: it was unreachable, or a lock or a
 * serialization conflict timed out (lib/http/error-response.ts). Nothing was booked that the
 * same request cannot find again: repeat it as it was, with the same idempotency key.
 */
export const UNAVAILABLE_RESPONSE = {
  ...errorContent(
    "SERVICE_UNAVAILABLE: the database is briefly unavailable. Repeat the same request (same idempotency " +
      "key) after Retry-After seconds; a booking already made is answered as a replay, never booked twice.",
  ),
  headers: {
    "Retry-After": {
      description: "Seconds to wait before repeating the request",
      schema: { type: "integer" as const, minimum: 1, example: 2 },
    },
  },
};

/** The answers of lib/http/parse-json.ts, shared by every route with a JSON body. */
export const JSON_BODY_ERRORS = {
  400: errorContent("Invalid input (field paths in details) or invalid JSON"),
  413: errorContent("Request body larger than 2 MiB"),
  415: errorContent("Content-Type is not application/json"),
} as const;
