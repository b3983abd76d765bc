import { BillingCheckInput, type BillingCheckResponse } from "@/lib/api/routes/billing";
import { requireApiKey } from "@/lib/auth/require-api-key";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { errorResponse } from "@/lib/http/error-response";
import { parseJson } from "@/lib/http/parse-json";

/** A refusal is still a 200: the answer is the point (allowed, reason, userAction). */
export async function POST(req: Request): Promise<Response> {
  try {
    const input = await parseJson(req, BillingCheckInput); // amounts are decimal strings
    await requireApiKey(req, input.mandateId); // 401 / 403 before any work
    const { reservationExpiresAt, ...result } = await runBillingCheck(input);
    const body: BillingCheckResponse = {
      ...result,
      ...(reservationExpiresAt ? { reservationExpiresAt: reservationExpiresAt.toISOString() } : {}),
    };
    return Response.json(body, { status: 200 });
  } catch (err) {
    return errorResponse(err);
  }
}
