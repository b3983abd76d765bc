import Stripe from "stripe";
import { DomainError } from "@/lib/errors";

/**
 * The one Stripe client of the process, from STRIPE_SECRET_KEY. STRIPE_API_URL points it at
 * another server speaking Stripe's API: the offline test server (scripts/stripe-test-server) that
 * `npm start` runs when no key is set, and the tests. Unset, it is Stripe itself.
 */
const globalForStripe = globalThis as unknown as { stripe?: { config: string; client: Stripe } };

export function stripeClient(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY;
  if (!key) throw new DomainError("SERVICE_UNAVAILABLE", "payments are not configured (STRIPE_SECRET_KEY)");
  const apiUrl = process.env.STRIPE_API_URL;
  const config = `${key} ${apiUrl ?? ""}`;
  if (globalForStripe.stripe?.config === config) return globalForStripe.stripe.client;
  const client = new Stripe(key, { ...apiLocation(apiUrl), maxNetworkRetries: 2 });
  globalForStripe.stripe = { config, client };
  return client;
}

function apiLocation(url: string | undefined): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (!url) return {};
  const parsed = new URL(url);
  const protocol = parsed.protocol === "http:" ? "http" : "https";
  return { host: parsed.hostname, port: Number(parsed.port || (protocol === "http" ? 80 : 443)), protocol };
}

/** The webhook signing secret; a route without it refuses every event (nothing can be verified). */
export function stripeWebhookSecret(): string {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new DomainError("SERVICE_UNAVAILABLE", "payments are not configured (STRIPE_WEBHOOK_SECRET)");
  return secret;
}

/**
 * A Stripe call a person waits for: when Stripe cannot be reached or fails on its side, the answer
 * is SERVICE_UNAVAILABLE ("try again later"; every call we make is idempotent, so trying again is
 * safe). A request Stripe refused (bad parameters) is our bug and stays an error.
 */
export async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (
      err instanceof Stripe.errors.StripeConnectionError ||
      err instanceof Stripe.errors.StripeAPIError ||
      err instanceof Stripe.errors.StripeRateLimitError
    ) {
      throw new DomainError("SERVICE_UNAVAILABLE", "the payment provider cannot be reached; try again later");
    }
    throw err;
  }
}
