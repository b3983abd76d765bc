import Stripe from "stripe";
import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { callStripe, stripeClient } from "@/lib/stripe/stripe-client";

/**
 * The mandate's one Stripe customer, created on first need. Two top-ups starting at once must not
 * make two customers: the first takes the mandate's settings row lock and holds it across Stripe's
 * answer (once in a mandate's life), the second waits and finds the id stored. The idempotency key
 * derives from the mandate, so even a retry after a lost answer gets Stripe's first customer.
 */
export async function ensureStripeCustomer(mandateId: string): Promise<string> {
  const stored = await prisma.billingSettings.findUnique({ where: { mandateId }, select: { stripeCustomerId: true } });
  if (stored?.stripeCustomerId && (await customerExists(stored.stripeCustomerId))) return stored.stripeCustomerId;
  // A stored id Stripe does not know (the offline test server forgot it on restart, the key now
  // names another account, the customer was deleted) is replaced once, under the same lock.
  const stale = stored?.stripeCustomerId ?? null;

  return prisma.$transaction(
    async (tx) => {
      const [settings] = await tx.$queryRaw<{ stripe_customer_id: string | null; name: string }[]>`
        SELECT s.stripe_customer_id, m.name
          FROM billing_settings s JOIN mandate m ON m.id = s.mandate_id
         WHERE s.mandate_id = ${mandateId}::uuid
           FOR UPDATE OF s`;
      if (!settings) throw new DomainError("NOT_FOUND", "mandate not found");
      if (settings.stripe_customer_id && settings.stripe_customer_id !== stale) return settings.stripe_customer_id;
      const customer = await callStripe(() =>
        stripeClient().customers.create(
          { name: settings.name, metadata: { mandateId } },
          {
            idempotencyKey: stale
              ? `mandate-customer:${mandateId}:replacing:${stale}`
              : `mandate-customer:${mandateId}`,
          },
        ),
      );
      await tx.billingSettings.update({ where: { mandateId }, data: { stripeCustomerId: customer.id } });
      return customer.id;
    },
    // Stripe's answer arrives inside the transaction: allow it the SDK's own timeout and retries.
    { timeout: 90_000, maxWait: 90_000 },
  );
}

async function customerExists(customerId: string): Promise<boolean> {
  try {
    const customer = await callStripe(() => stripeClient().customers.retrieve(customerId));
    return !customer.deleted;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return false;
    throw err;
  }
}
