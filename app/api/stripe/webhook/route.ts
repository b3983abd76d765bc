import { errorResponse } from "@/lib/http/error-response";
import { handleStripeEvent } from "@/lib/payments/handle-stripe-event";
import { verifyStripeEvent } from "@/lib/payments/verify-stripe-event";

export const dynamic = "force-dynamic";

/** Stripe's webhook: verify the signature over the raw body, then one handler per event type. */
export async function POST(req: Request): Promise<Response> {
  try {
    const event = verifyStripeEvent(await req.text(), req.headers.get("stripe-signature"));
    return Response.json({ received: true, outcome: await handleStripeEvent(event) });
  } catch (err) {
    return errorResponse(err);
  }
}
