import Stripe from "stripe";
import { DomainError } from "@/lib/errors";
import { stripeWebhookSecret } from "@/lib/stripe/stripe-client";

/** Stripe's default: a signature older than five minutes is a replay. */
const TOLERANCE_SECONDS = 300;

/**
 * A webhook's event, if Stripe signed exactly these bytes (the raw body, before any JSON parsing)
 * with our endpoint's secret within the tolerance. Anything else is INVALID_SIGNATURE: a missing,
 * forged or stale signature books nothing.
 */
export function verifyStripeEvent(rawBody: string, signature: string | null): Stripe.Event {
  if (!signature) throw new DomainError("INVALID_SIGNATURE", "missing Stripe-Signature header");
  try {
    return Stripe.webhooks.constructEvent(rawBody, signature, stripeWebhookSecret(), TOLERANCE_SECONDS);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError("INVALID_SIGNATURE", "the Stripe signature does not match this body");
  }
}
