import { requireAnyApiKey, requireKeyScope } from "@/lib/auth/require-api-key";
import type { AuthenticatedKey } from "@/lib/api-keys/api-keys";
import { handleRoute, type RouteHandler, type RouteInput, type RouteSchemas } from "./handle-route";

/**
 * The mandate whose scope the API key must cover, named by the request (body or path), or null
 * for an operation of platform-wide keys only; or "per-item" for a request naming several
 * mandates, where only the key is checked here and the handler checks each item with keyCovers
 * (a mandate-scoped key may still send its own items).
 */
export type KeyScope<S extends RouteSchemas> = ((input: RouteInput<S>) => string | null) | "per-item";

/**
 * A machine-API (/api/v1) handler: the `Authorization: Bearer` key first (401 before the body is
 * read or validated), then parse the request (400), then the key's scope against the mandate it
 * names (403), then the handler's one domain call; every error becomes the JSON error body
 * (lib/http/error-response.ts).
 */
export function apiRoute<S extends RouteSchemas>(
  schemas: S,
  scope: KeyScope<S>,
  handle: (input: RouteInput<S>, key: AuthenticatedKey) => Promise<Response>,
): RouteHandler {
  return handleRoute(
    schemas,
    requireAnyApiKey,
    (input, key) => (scope === "per-item" ? key : requireKeyScope(key, scope(input))),
    handle,
  );
}
