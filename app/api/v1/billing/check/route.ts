import { BillingCheckInput, type BillingCheckResponse } from "@/lib/api/routes/billing";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { apiRoute } from "@/lib/http/api-route";

/** A refusal is still a 200: the answer is the point (allowed, reason, userAction). */
export const POST = apiRoute(
  { body: BillingCheckInput }, // amounts are decimal strings
  ({ body }) => body.mandateId,
  async ({ body }) => {
    const { reservationExpiresAt, ...result } = await runBillingCheck(body);
    const answer: BillingCheckResponse = {
      ...result,
      ...(reservationExpiresAt ? { reservationExpiresAt: reservationExpiresAt.toISOString() } : {}),
    };
    return Response.json(answer, { status: 200 });
  },
);
