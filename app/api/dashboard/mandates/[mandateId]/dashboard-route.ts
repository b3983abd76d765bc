import type { z } from "zod";
import { MandatePath } from "@/lib/api/routes/mandates";
import { requireMember, type MemberContext } from "@/lib/auth/require-member";
import { errorResponse } from "@/lib/http/error-response";
import { parseQuery } from "@/lib/http/parse-json";

type RouteContext = { params: Promise<{ mandateId: string }> };

/**
 * The shape of every dashboard route below: parse the mandate id and the query (400), then the
 * session and membership (401, or 404 for another mandate: its existence stays hidden), then
 * one domain call. Session-authenticated, for the signed-in person's browser; the machine API
 * under /api/v1 takes API keys instead. Errors thrown while a streamed body is being read are
 * the stream's own (the status line has been sent by then).
 */
export function dashboardRoute<S extends z.ZodType>(
  query: S,
  handle: (member: MemberContext, query: z.infer<S>) => Promise<Response>,
): (req: Request, context: RouteContext) => Promise<Response> {
  return async (req, { params }) => {
    try {
      const { mandateId } = MandatePath.parse(await params);
      const parsed = parseQuery(req.url, query);
      const member = await requireMember(mandateId);
      return await handle(member, parsed);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** Per-person data: never stored by a shared cache. */
export const PRIVATE = { "Cache-Control": "private, no-store" } as const;
