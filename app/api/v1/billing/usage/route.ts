import { UsageEventInput, type UsageResponse } from "@/lib/api/routes/billing";
import { requireApiKey } from "@/lib/auth/require-api-key";
import { errorResponse } from "@/lib/http/error-response";
import { parseJson } from "@/lib/http/parse-json";
import { recordUsage } from "@/lib/usage/record-usage";

export async function POST(req: Request): Promise<Response> {
  try {
    const input = await parseJson(req, UsageEventInput); // amounts are decimal strings
    await requireApiKey(req, input.mandateId); // 401 / 403 before any work
    const booked: UsageResponse = await recordUsage(input);
    return Response.json(booked, { status: booked.replayed ? 200 : 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
