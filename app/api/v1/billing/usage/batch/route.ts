import { UsageBatchInput, type UsageBatchResponse } from "@/lib/api/routes/billing";
import { keyCovers, requireAnyApiKey } from "@/lib/auth/require-api-key";
import { errorResponse } from "@/lib/http/error-response";
import { parseJson } from "@/lib/http/parse-json";
import { recordUsageBatch } from "@/lib/usage/record-usage-batch";

/** 200 with one result per event; only a malformed envelope or a bad key fails the whole request. */
export async function POST(req: Request): Promise<Response> {
  try {
    const input = await parseJson(req, UsageBatchInput); // events are validated one by one
    const key = await requireAnyApiKey(req); // 401 before any work; the mandate scope is per event
    const result: UsageBatchResponse = await recordUsageBatch({
      events: input.events,
      mayBookFor: (mandateId) => keyCovers(key, mandateId),
    });
    return Response.json(result, { status: 200 });
  } catch (err) {
    return errorResponse(err);
  }
}
