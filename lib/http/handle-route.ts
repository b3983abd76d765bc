import type { z } from "zod";
import { errorResponse } from "./error-response";
import { parseJson, parseQuery } from "./parse-json";

/** What a route reads from the request, each checked by its own zod schema. */
export interface RouteSchemas {
  params?: z.ZodType;
  body?: z.ZodType;
  query?: z.ZodType;
}

/** The parsed input: one field per schema given (`{ params, body }` for `{ params: …, body: … }`). */
export type RouteInput<S extends RouteSchemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.infer<S[K]> : never };

/** Next passes the URL's dynamic segments; each route's own schema says which it expects. */
interface RouteContext {
  params: Promise<unknown>;
}

export type RouteHandler = (req: Request, context: RouteContext) => Promise<Response>;

/**
 * The shape every API route shares: authenticate (401) → parse (400, 413, 415) → authorize (403,
 * 404) → one domain call → map errors to the one JSON error body. Authentication comes first, so a
 * caller without a valid credential learns nothing of the schema; authorization comes after
 * parsing because it needs what the request names (the mandate in the body or path). The machine
 * API (api-route.ts) and the dashboard's routes (dashboard-route.ts) differ only in how they
 * authenticate and authorize. Errors thrown while a streamed body is being read are the stream's
 * own: the status line has been sent by then.
 */
export function handleRoute<S extends RouteSchemas, Caller, Auth>(
  schemas: S,
  authenticate: (req: Request) => Promise<Caller>,
  authorize: (input: RouteInput<S>, caller: Caller) => Promise<Auth> | Auth,
  handle: (input: RouteInput<S>, auth: Auth) => Promise<Response>,
): RouteHandler {
  return async (req, context) => {
    try {
      const caller = await authenticate(req);
      const input = await parseInput(req, context, schemas);
      const auth = await authorize(input, caller);
      return await handle(input, auth);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

async function parseInput<S extends RouteSchemas>(
  req: Request,
  context: RouteContext,
  schemas: S,
): Promise<RouteInput<S>> {
  const input: { params?: unknown; body?: unknown; query?: unknown } = {};
  // A malformed path segment fails as a ZodError (400 with its field path), before the body is read.
  if (schemas.params) input.params = schemas.params.parse(await context.params);
  if (schemas.body) input.body = await parseJson(req, schemas.body);
  if (schemas.query) input.query = parseQuery(req.url, schemas.query);
  // Exactly the fields of S were set above, each parsed by its schema.
  return input as RouteInput<S>;
}
