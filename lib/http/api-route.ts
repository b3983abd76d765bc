import { requireAnyApiKey, requireApiKey } from "@/lib/auth/require-api-key";
import type { AuthenticatedKey } from "@/lib/api-keys/api-keys";
import { handleRoute, type RouteHandler, type RouteInput, type RouteSchemas } from "./handle-route";

/**
 * The mandate whose scope the API key must cover, named by the request (body or path); or
 * "per-item" for a request naming several mandates, where only the key is checked here and the
 * handler checks each item with keyCovers (a mandate-scoped key may still send its own items).
 */
export type KeyScope<S extends RouteSchemas> = ((input: RouteInput<S>) => string) | "per-item";

/**
 * A machine-API (/api/v1) handler: parse the request, then the `Authorization: Bearer` key (401
 * before any work; 403 for a key of another mandate), then the handler's one domain call; every
 * error becomes the JSON error body (lib/http/error-response.ts).
 */
export function apiRoute<S extends RouteSchemas>(
  schemas: S,
  scope: KeyScope<S>,
  handle: (input: RouteInput<S>, key: AuthenticatedKey) => Promise<Response>,
): RouteHandler {
  return handleRoute(
    schemas,
    (req, input) => (scope === "per-item" ? requireAnyApiKey(req) : requireApiKey(req, scope(input))),
    handle,
  );
}
