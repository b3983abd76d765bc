import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { compare, toMoneyString } from "@/lib/money/money";

/** A mandate's pool balance as the gateway and the dashboard show it (seed: BillingBalanceResponse). */
export interface MandateBalance {
  mandateId: string;
  mandateName: string;
  balance: string;
  currency: string;
  warningThreshold: string;
  /**
   * balance < the pool account's warningThreshold (CHF), which the database derives from the
   * settings' warningThresholdPercent of the pool's budget (README "Budget and warning threshold").
   */
  isWarning: boolean;
}

export async function getBalance(mandateId: string): Promise<MandateBalance> {
  const pool = await prisma.billingAccount.findFirst({
    where: { mandateId, userId: null },
    select: { balance: true, currency: true, warningThreshold: true, mandate: { select: { name: true } } },
  });
  if (!pool) throw new DomainError("NOT_FOUND", "mandate not found");
  return {
    mandateId,
    mandateName: pool.mandate.name,
    balance: toMoneyString(pool.balance),
    currency: pool.currency,
    warningThreshold: toMoneyString(pool.warningThreshold),
    isWarning: compare(pool.balance, pool.warningThreshold) < 0,
  };
}
