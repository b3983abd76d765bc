import { prisma } from "@/lib/db/client";
import type { RechargeFailureReason } from "@/lib/email/messages/auto-recharge-failed";
import { settingsDecimal } from "@/lib/settings/billing-settings-schema";
import { RECHARGE_FAILURES_TO_SWITCH_OFF, rechargeFailureReason } from "@/lib/payments/recharge-failure";
import { ZURICH_MONTH_START_SQL } from "./zurich-month";

export interface RechargeFailureView {
  at: string;
  amount: string;
  reason: RechargeFailureReason;
  /** Stripe's code, for support. */
  code: string | null;
}

/** What the overview says about automatic recharge (OWNER and ADMIN only). */
export interface RechargeStatus {
  enabled: boolean;
  /** The kept card; null: none (auto-recharge cannot be switched on). */
  card: { brand: string | null; last4: string | null } | null;
  /** CHF per recharge, two decimals. */
  amount: string;
  maxPerMonth: number;
  /** Recharges counted in the current Zurich month (0 when the month has not seen one yet). */
  thisMonth: number;
  /** A recharge is being charged or settling at Stripe. */
  inFlight: boolean;
  /** The latest refused recharge, unless one succeeded after it. */
  lastFailure: RechargeFailureView | null;
  failuresInRow: number;
  failuresToSwitchOff: number;
  /** Set when failures switched it off (ISO); an admin may switch it on again. */
  switchedOffAt: string | null;
}

export async function getRechargeStatus(mandateId: string): Promise<RechargeStatus | null> {
  const [row] = await prisma.$queryRaw<
    {
      enabled: boolean;
      card_brand: string | null;
      card_last4: string | null;
      has_card: boolean;
      amount: string;
      max_per_month: number;
      this_month: number;
      failures_in_row: number;
      switched_off_at: Date | null;
      in_flight: boolean;
    }[]
  >`SELECT s.auto_recharge_enabled AS enabled, s.card_brand, s.card_last4,
           s.stripe_payment_method_id IS NOT NULL AS has_card,
           s.recharge_amount_chf::text AS amount, s.recharge_max_per_month AS max_per_month,
           CASE WHEN s.month_reset_at >= ${ZURICH_MONTH_START_SQL} THEN s.recharges_this_month ELSE 0 END AS this_month,
           s.recharge_failures_in_row AS failures_in_row, s.auto_recharge_switched_off_at AS switched_off_at,
           EXISTS (SELECT 1 FROM payment p WHERE p.mandate_id = s.mandate_id AND p.kind = 'AUTO_RECHARGE'
                      AND p.status IN ('PENDING', 'PROCESSING')) AS in_flight
      FROM billing_settings s WHERE s.mandate_id = ${mandateId}::uuid`;
  if (!row) return null;
  const failure =
    row.failures_in_row > 0
      ? await prisma.payment.findFirst({
          where: { mandateId, kind: "AUTO_RECHARGE", status: "FAILED" },
          orderBy: { updatedAt: "desc" },
          select: { updatedAt: true, amount: true, failureCode: true },
        })
      : null;
  return {
    enabled: row.enabled,
    card: row.has_card ? { brand: row.card_brand, last4: row.card_last4 } : null,
    amount: settingsDecimal(row.amount),
    maxPerMonth: row.max_per_month,
    thisMonth: row.this_month,
    inFlight: row.in_flight,
    lastFailure: failure
      ? {
          at: failure.updatedAt.toISOString(),
          amount: failure.amount.toFixed(2),
          reason: rechargeFailureReason(failure.failureCode),
          code: failure.failureCode,
        }
      : null,
    failuresInRow: row.failures_in_row,
    failuresToSwitchOff: RECHARGE_FAILURES_TO_SWITCH_OFF,
    switchedOffAt: row.switched_off_at?.toISOString() ?? null,
  };
}
