import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { addOneMonth, beginPaidPeriod } from "./period-credit";
import { changeSubscriptionStatus, OPERATIVE_STATUSES } from "./subscription-status";

/**
 * The periodic job for subscriptions Stripe does not drive (granted by a platform admin): a
 * recurring one whose period ended begins its next (its AI budget credited, once per period,
 * periods missed while no worker ran included); a cancelled one expires; a SCHEDULED plan change
 * whose start has come becomes ACTIVE once nothing else is operative. Stripe's subscriptions move
 * by their webhooks instead. Safe to run anywhere at once: each mandate under its settings lock.
 */
export async function advanceGrantedPeriods(now: Date = new Date()): Promise<number> {
  const due = await prisma.subscription.findMany({
    where: {
      stripeSubscriptionId: null,
      // Granted plans only: a Stripe plan change waiting (SCHEDULED, no Stripe id yet) starts with
      // its paid invoice, never by the clock.
      grantedByUserId: { not: null },
      OR: [
        { status: { in: [...OPERATIVE_STATUSES] }, currentPeriodEnd: { lte: now } },
        { status: "SCHEDULED", effectiveFrom: { lte: now } },
      ],
    },
    select: { mandateId: true },
    distinct: ["mandateId"],
    take: 100,
  });
  for (const { mandateId } of due) await advanceMandate(mandateId, now);
  return due.length;
}

async function advanceMandate(mandateId: string, now: Date): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM billing_settings WHERE mandate_id = ${mandateId}::uuid FOR UPDATE`;
    const running = await tx.subscription.findFirst({
      where: { mandateId, stripeSubscriptionId: null, status: { in: [...OPERATIVE_STATUSES] } },
    });
    if (running?.currentPeriodEnd && running.currentPeriodEnd <= now) {
      if (running.recurring) {
        await catchUp(tx, running.id, running.currentPeriodEnd, now);
        return;
      }
      await changeSubscriptionStatus(tx, running.id, "EXPIRED", "its last period ended");
    }
    const operative = await tx.subscription.count({ where: { mandateId, status: { in: [...OPERATIVE_STATUSES] } } });
    const scheduled = await tx.subscription.findFirst({
      where: {
        mandateId,
        stripeSubscriptionId: null,
        grantedByUserId: { not: null },
        status: "SCHEDULED",
        effectiveFrom: { lte: now },
      },
    });
    if (operative === 0 && scheduled?.effectiveFrom) {
      await changeSubscriptionStatus(tx, scheduled.id, "ACTIVE", "the scheduled plan change took effect");
      await catchUp(tx, scheduled.id, scheduled.effectiveFrom, now);
    }
  });
}

/** Begins the period starting at `from`, and each following one that has begun by `now`. */
async function catchUp(tx: Prisma.TransactionClient, subscriptionId: string, from: Date, now: Date): Promise<void> {
  let start = from;
  do {
    const end = addOneMonth(start);
    await beginPaidPeriod(tx, {
      subscriptionId,
      invoiceKey: `grant:${subscriptionId}:${start.toISOString()}`,
      periodStart: start,
      periodEnd: end,
    });
    start = end;
  } while (start <= now);
}
