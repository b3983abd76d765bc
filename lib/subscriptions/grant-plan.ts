import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids/uuid";
import { addOneMonth, beginPaidPeriod } from "./period-credit";
import { changeSubscriptionStatus, noteSubscriptionChange, OPERATIVE_STATUSES } from "./subscription-status";

export interface GrantPlanOptions {
  mandateId: string;
  planId: string;
  /** The platform admin granting it; recorded with the reason. */
  grantedByUserId: string;
  reason: string;
  now?: Date;
}

export interface GrantedPlan {
  subscriptionId: string;
  status: "ACTIVE" | "SCHEDULED";
  effectiveFrom: Date;
}

/**
 * A platform admin grants a plan without Stripe (an invoiced customer). Without an operative
 * subscription it starts at once: ACTIVE for a month, its AI budget credited. With one, it is a
 * plan change: the running subscription stops recurring and the new one is SCHEDULED from the end
 * of its period (a plan change already waiting is replaced). Each period of a granted plan is
 * advanced by the periodic job (advance-granted-periods.ts). The mandate's settings row is locked
 * first, so two grants (or a grant and a checkout) for one mandate take turns.
 */
export async function grantPlan(opts: GrantPlanOptions): Promise<GrantedPlan> {
  const reason = opts.reason.trim();
  if (!reason)
    throw new DomainError("VALIDATION_FAILED", "a grant needs a reason", [{ path: "reason", message: "required" }]);
  if (!isUuid(opts.mandateId)) throw new DomainError("NOT_FOUND", "mandate not found");
  if (!isUuid(opts.planId))
    throw new DomainError("NOT_FOUND", "plan not found", [{ path: "planId", message: "unknown" }]);
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM billing_settings WHERE mandate_id = ${opts.mandateId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new DomainError("NOT_FOUND", "mandate not found");
    const plan = await tx.plan.findUnique({ where: { id: opts.planId } });
    if (!plan || !plan.active) {
      throw new DomainError("NOT_FOUND", "plan not found", [{ path: "planId", message: "unknown" }]);
    }
    const note = `granted by a platform admin: ${reason}`;
    const running = await tx.subscription.findFirst({
      where: { mandateId: opts.mandateId, status: { in: [...OPERATIVE_STATUSES] } },
    });
    // A plan change waiting already is replaced by this one.
    const waiting = await tx.subscription.findFirst({
      where: { mandateId: opts.mandateId, status: { in: ["PENDING", "SCHEDULED"] } },
    });
    if (waiting) await changeSubscriptionStatus(tx, waiting.id, "EXPIRED", `replaced: ${note}`);

    const created = await tx.subscription.create({
      data: {
        mandateId: opts.mandateId,
        planId: plan.id,
        grantedByUserId: opts.grantedByUserId,
        grantReason: reason,
        createdByUserId: opts.grantedByUserId,
      },
    });
    if (running && running.currentPeriodEnd && running.currentPeriodEnd > now) {
      await noteSubscriptionChange(tx, `ends with its period: ${note}`);
      await tx.subscription.update({ where: { id: running.id }, data: { recurring: false } });
      await changeSubscriptionStatus(tx, created.id, "SCHEDULED", note, { effectiveFrom: running.currentPeriodEnd });
      return { subscriptionId: created.id, status: "SCHEDULED", effectiveFrom: running.currentPeriodEnd };
    }
    if (running) await changeSubscriptionStatus(tx, running.id, "EXPIRED", `replaced: ${note}`);
    await changeSubscriptionStatus(tx, created.id, "ACTIVE", note, { effectiveFrom: now });
    const periodEnd = addOneMonth(now);
    await beginPaidPeriod(tx, {
      subscriptionId: created.id,
      invoiceKey: `grant:${created.id}:${now.toISOString()}`,
      periodStart: now,
      periodEnd,
    });
    return { subscriptionId: created.id, status: "ACTIVE", effectiveFrom: now };
  });
}
