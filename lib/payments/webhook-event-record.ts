import type { Prisma } from "@/lib/db/generated/client";

/**
 * Stores a Stripe event id in the caller's transaction, the one that books the event's effect: a
 * redelivered event then finds its id and does nothing. False when the id was stored before.
 * Without an id (the success page fulfilling, no event) there is nothing to record.
 */
export async function recordStripeEvent(tx: Prisma.TransactionClient, eventId: string | undefined): Promise<boolean> {
  if (!eventId) return true;
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO stripe_webhook_event (event_id) VALUES (${eventId})
    ON CONFLICT (event_id) DO NOTHING RETURNING id`;
  return inserted.length === 1;
}
