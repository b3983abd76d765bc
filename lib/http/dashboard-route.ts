import type { z } from "zod";
import { MandatePath } from "@/lib/api/routes/mandates";
import { requireMember, type MemberContext } from "@/lib/auth/require-member";
import { handleRoute, type RouteHandler } from "./handle-route";

/**
 * A dashboard route under /api/dashboard/mandates/{mandateId}: parse the mandate id and the query
 * (400), then the session and membership (401, or 404 for another mandate: its existence stays
 * hidden), then one domain call. Session-authenticated, for the signed-in person's browser; the
 * machine API under /api/v1 takes API keys instead (api-route.ts).
 */
export function dashboardRoute<Q extends z.ZodType>(
  query: Q,
  handle: (member: MemberContext, query: z.infer<Q>) => Promise<Response>,
): RouteHandler {
  return handleRoute(
    { params: MandatePath, query },
    // The session is read once, by requireMember with the mandate; the query schema it might
    // reveal first is the dashboard page's own, public anyway.
    () => Promise.resolve(undefined),
    (input) => requireMember(input.params.mandateId),
    (input, member) => handle(member, input.query),
  );
}

/** Per-person data: never stored by a shared cache. */
export const PRIVATE = { "Cache-Control": "private, no-store" } as const;
