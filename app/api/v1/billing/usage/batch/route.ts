import { UsageBatchInput, type UsageBatchResponse } from "@/lib/api/routes/billing";
import { keyCovers } from "@/lib/auth/require-api-key";
import { apiRoute } from "@/lib/http/api-route";
import { recordUsageBatch } from "@/lib/usage/record-usage-batch";

/** 200 with one result per event; only a malformed envelope or a bad key fails the whole request. */
export const POST = apiRoute(
  { body: UsageBatchInput }, // events are validated one by one
  "per-item",
  async ({ body }, key) => {
    const result: UsageBatchResponse = await recordUsageBatch({
      events: body.events,
      mayBookFor: (mandateId) => keyCovers(key, mandateId),
    });
    return Response.json(result, { status: 200 });
  },
);
