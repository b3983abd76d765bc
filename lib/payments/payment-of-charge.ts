import type Stripe from "stripe";
import { prisma } from "@/lib/db/client";
import { fulfilCheckoutSession } from "./fulfil-checkout";

/**
 * Our payment behind a Stripe charge, credited first if it was not yet: Stripe does not keep
 * events in order, so a refund or a dispute may arrive before the checkout's completion, and its
 * debit must follow the credit it takes back. Null for a charge that is not one of our top-ups.
 */
export async function paidPaymentOfCharge(
  stripe: Stripe,
  charge: Stripe.Charge,
): Promise<{ id: string; mandateId: string } | null> {
  const intentId = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  if (!intentId) return null;
  const byIntent = await prisma.payment.findUnique({ where: { stripePaymentIntentId: intentId } });
  if (byIntent?.status === "PAID") return { id: byIntent.id, mandateId: byIntent.mandateId };

  const intent = await stripe.paymentIntents.retrieve(intentId);
  const paymentId = byIntent?.id ?? intent.metadata?.paymentId;
  if (!paymentId) return null;
  const payment = await prisma.payment.findUnique({ where: { id: paymentId } });
  if (!payment?.stripeCheckoutSessionId) return null;
  const fulfilled = await fulfilCheckoutSession(payment.stripeCheckoutSessionId);
  return fulfilled?.status === "PAID" ? { id: payment.id, mandateId: payment.mandateId } : null;
}
