import type { Prisma, SubscriptionStatus } from "@/lib/db/generated/client";
import { enqueueJob } from "@/lib/jobs/queue";

/** States in which a subscription lets the mandate spend (PAST_DUE: Stripe is still retrying). */
export const OPERATIVE_STATUSES = ["TRIALING", "ACTIVE", "PAST_DUE"] as const satisfies readonly SubscriptionStatus[];

/**
 * The allowed transitions, as the database enforces them (trigger subscription_status_guard,
 * migration *_plans_subscriptions). Kept here too so the domain can say no before it writes, and
 * tested against the trigger both ways.
 */
export const ALLOWED_TRANSITIONS: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  PENDING: ["ACTIVE", "TRIALING", "SCHEDULED", "EXPIRED"],
  SCHEDULED: ["ACTIVE", "EXPIRED"],
  TRIALING: ["ACTIVE", "EXPIRED"],
  ACTIVE: ["PAST_DUE", "EXPIRED"],
  PAST_DUE: ["ACTIVE", "EXPIRED"],
  EXPIRED: [],
};

export function isOperative(status: SubscriptionStatus): boolean {
  return (OPERATIVE_STATUSES as readonly SubscriptionStatus[]).includes(status);
}

/**
 * Moves a subscription to `to` inside the caller's transaction, with a note for its history
 * (who or which event). The database refuses a transition that is not allowed (BL422).
 */
export async function changeSubscriptionStatus(
  tx: Prisma.TransactionClient,
  subscriptionId: string,
  to: SubscriptionStatus,
  note: string,
  data: Omit<Prisma.SubscriptionUpdateInput, "status"> = {},
): Promise<void> {
  await noteSubscriptionChange(tx, note);
  await tx.subscription.update({ where: { id: subscriptionId }, data: { ...data, status: to } });
  // The owners hear of the end of a plan that ran (not of a checkout or change that never began).
  if (to === "EXPIRED" && (await tx.subscriptionPeriodCredit.count({ where: { subscriptionId } })) > 0) {
    await enqueueJob(tx, "mandate-email", { kind: "subscription-expired", subscriptionId });
  }
}

/** The note the history trigger records for this transaction's state changes. */
export async function noteSubscriptionChange(tx: Prisma.TransactionClient, note: string): Promise<void> {
  await tx.$executeRaw`SELECT set_config('billing.subscription_note', ${note.slice(0, 500)}, true)`;
}
