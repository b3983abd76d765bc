import { prisma } from "@/lib/db/client";
import type { SubscriptionStatus } from "@/lib/db/generated/client";
import { isUuid } from "@/lib/ids/uuid";
import { planView, type PlanView } from "./plan-catalogue";
import { OPERATIVE_STATUSES } from "./subscription-status";

export interface SubscriptionView {
  id: string;
  plan: PlanView;
  status: SubscriptionStatus;
  recurring: boolean;
  /** ISO instants; null until a period began. */
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  effectiveFrom: string | null;
  /** Granted by a platform admin (no Stripe). */
  granted: boolean;
  /** CHF credited for the current period ("0.00" before the first). */
  creditedThisPeriod: string;
}

/** What a mandate runs on now, and what waits to follow (a plan change, a checkout not paid yet). */
export interface MandateSubscriptions {
  operative: SubscriptionView | null;
  waiting: SubscriptionView | null;
}

export async function getMandateSubscriptions(mandateId: string): Promise<MandateSubscriptions> {
  if (!isUuid(mandateId)) return { operative: null, waiting: null };
  const rows = await prisma.subscription.findMany({
    where: { mandateId, status: { in: [...OPERATIVE_STATUSES, "PENDING", "SCHEDULED"] } },
    include: { plan: true, credits: { orderBy: { periodStart: "desc" }, take: 1 } },
  });
  const view = (row: (typeof rows)[number]): SubscriptionView => {
    const credit = row.credits[0];
    const current =
      credit && row.currentPeriodStart && credit.periodStart.getTime() === row.currentPeriodStart.getTime();
    return {
      id: row.id,
      plan: planView(row.plan),
      status: row.status,
      recurring: row.recurring,
      currentPeriodStart: row.currentPeriodStart?.toISOString() ?? null,
      currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
      effectiveFrom: row.effectiveFrom?.toISOString() ?? null,
      granted: row.grantedByUserId !== null,
      creditedThisPeriod: current ? credit.amount.toFixed(2) : "0.00",
    };
  };
  const operative = rows.find((r) => (OPERATIVE_STATUSES as readonly string[]).includes(r.status));
  const waiting = rows.find((r) => r.status === "PENDING" || r.status === "SCHEDULED");
  return { operative: operative ? view(operative) : null, waiting: waiting ? view(waiting) : null };
}
