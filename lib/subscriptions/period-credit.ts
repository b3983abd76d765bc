import type { Prisma } from "@/lib/db/generated/client";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { credit } from "@/lib/ledger/post-transaction";
import { toMoney } from "@/lib/money/money";
import { queueMandateEmail } from "@/lib/notifications/mandate-email";

export interface PaidPeriod {
  subscriptionId: string;
  /** Stripe's invoice id (in_…), or grant:<subscription>:<period start> for a granted plan. */
  invoiceKey: string;
  periodStart: Date;
  periodEnd: Date;
}

/**
 * A paid period begins, inside the caller's transaction: the plan's AI budget is credited to the
 * pool as one SUBSCRIPTION credit per invoice (the unique invoice key; a second delivery, or the
 * checkout completion that comes with the first invoice, finds it booked), and a new storage period
 * starts with the plan's included volume. Unused budget stays in the pool: prepaid money is the
 * customer's. Returns false when this invoice was credited before.
 */
export async function beginPaidPeriod(tx: Prisma.TransactionClient, period: PaidPeriod): Promise<boolean> {
  const subscription = await tx.subscription.findUniqueOrThrow({
    where: { id: period.subscriptionId },
    include: { plan: true },
  });
  const known = await tx.subscriptionPeriodCredit.findUnique({ where: { invoiceKey: period.invoiceKey } });
  if (known) return false;
  const budget = toMoney(subscription.plan.aiBudgetCHF);
  const { accountId } = await getPoolAccount(subscription.mandateId);
  // A plan without AI budget (storage only) credits nothing; its period is still recorded.
  const booking = budget.isZero()
    ? null
    : await credit({
        tx,
        accountId,
        amount: budget.toFixed(2),
        idempotencyKey: `subscription-period:${period.invoiceKey}`,
        wording: { key: "planBudget", planNameDe: subscription.plan.nameDe, planNameEn: subscription.plan.nameEn },
        referenceType: "SUBSCRIPTION",
        referenceId: period.invoiceKey,
      });
  const periodCredit = await tx.subscriptionPeriodCredit.create({
    data: {
      subscriptionId: subscription.id,
      invoiceKey: period.invoiceKey,
      periodStart: period.periodStart,
      periodEnd: period.periodEnd,
      amount: budget.toFixed(2),
      transactionId: booking?.transactionId ?? null,
    },
  });
  await tx.billingSettings.update({
    where: { mandateId: subscription.mandateId },
    data: {
      storagePeriodStartAt: period.periodStart,
      storageHighWatermarkMB: "0",
      storageBilledUpToMB: "0",
      storageIncludedMB: subscription.plan.includedStorageMB,
    },
  });
  await tx.subscription.update({
    where: { id: subscription.id },
    data: { currentPeriodStart: period.periodStart, currentPeriodEnd: period.periodEnd },
  });
  const periods = await tx.subscriptionPeriodCredit.count({ where: { subscriptionId: subscription.id } });
  await queueMandateEmail(tx, {
    kind: periods === 1 ? "subscription-started" : "subscription-renewed",
    creditId: periodCredit.id,
  });
  return true;
}

/** The same instant one calendar month later (UTC; the 31st becomes the month's last day). */
export function addOneMonth(at: Date): Date {
  const next = new Date(at);
  const day = next.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, last));
  return next;
}
