import { prisma } from "@/lib/db/client";
import { callStripe, stripeClient } from "@/lib/stripe/stripe-client";
import { toMinorUnits } from "./minor-units";
import { ensureStripeCustomer } from "./stripe-customer";
import type { TopUpInput } from "./top-up-schema";

export interface StartTopUpInput extends TopUpInput {
  mandateId: string;
  userId: string;
  /** The app's public origin, for Stripe's success and cancel redirects. */
  origin: string;
}

/**
 * Starts a top-up: our payment row first (PENDING), then a Checkout Session in payment mode that
 * carries its id (metadata, client_reference_id) and whose idempotency key derives from it, so a
 * retried start never opens a second session for one payment. Fulfilment (fulfil-checkout.ts)
 * credits the pool once Stripe says the session is paid.
 */
export async function startTopUp(input: StartTopUpInput): Promise<{ paymentId: string; checkoutUrl: string }> {
  const customer = await ensureStripeCustomer(input.mandateId);
  const payment = await prisma.payment.create({
    data: { mandateId: input.mandateId, createdByUserId: input.userId, amount: input.amount, saveCard: input.saveCard },
    select: { id: true },
  });
  const metadata = { paymentId: payment.id, mandateId: input.mandateId };
  const base = `${input.origin}/mandates/${input.mandateId}/top-up`;
  const session = await callStripe(() =>
    stripeClient().checkout.sessions.create(
      {
        mode: "payment",
        customer,
        client_reference_id: payment.id,
        metadata,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: "chf",
              unit_amount: toMinorUnits(input.amount),
              product_data: { name: "AI credit" },
            },
          },
        ],
        payment_intent_data: { metadata, ...(input.saveCard ? { setup_future_usage: "off_session" as const } : {}) },
        success_url: `${base}/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${base}/cancelled?payment=${payment.id}`,
      },
      { idempotencyKey: `checkout-session:${payment.id}` },
    ),
  );
  await prisma.payment.update({ where: { id: payment.id }, data: { stripeCheckoutSessionId: session.id } });
  if (!session.url) throw new Error(`checkout session ${session.id} has no url`);
  return { paymentId: payment.id, checkoutUrl: session.url };
}
