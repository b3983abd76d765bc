import Stripe from "stripe";
import { prisma } from "@/lib/db/client";
import type { Payment } from "@/lib/db/generated/client";
import { recordRechargeFailure, settleRechargeIntent } from "@/lib/payments/settle-recharge";
import { toMinorUnits } from "@/lib/payments/minor-units";
import { stripeClient } from "@/lib/stripe/stripe-client";
import { ZURICH_MONTH_START_SQL } from "./zurich-month";

/** What the recharge job decided for a crossing (pool_threshold_crossing.recharge_outcome). */
export type RechargeOutcome = "STARTED" | "DISABLED" | "NO_CARD" | "MONTHLY_CAP" | "IN_FLIGHT";

export interface AutoRechargeResult {
  outcome: RechargeOutcome | "GONE";
  payment?: Pick<Payment, "id" | "status">;
}

/**
 * The "auto-recharge" job: answers one threshold crossing with at most one off-session charge of
 * the kept card. Exactly once comes from the database, not from the job running once (delivery is
 * at least once): the payment row is unique per crossing, at most one recharge per mandate is in
 * flight (a unique partial index), the monthly cap is counted by one conditional UPDATE under the
 * settings row's lock, and Stripe's idempotency key derives from the payment row, so a job killed
 * after the charge and run again gets Stripe's first answer instead of a second charge.
 */
export async function runAutoRecharge(crossingId: string): Promise<AutoRechargeResult> {
  const claim = await claimRecharge(crossingId);
  if (!claim.payment) return { outcome: claim.outcome };
  const payment = claim.payment;
  // Already answered (a job run again after it finished), or settling at Stripe (the webhook ends it).
  if (payment.status !== "PENDING") return { outcome: "STARTED", payment };
  return { outcome: "STARTED", payment: await chargeKeptCard(payment) };
}

type Claim = { outcome: RechargeOutcome | "GONE"; payment?: Payment };

async function claimRecharge(crossingId: string): Promise<Claim> {
  return prisma.$transaction(async (tx) => {
    // The crossing's lock: runs of this job for one crossing take turns, and the later finds the
    // first one's payment (or its decision).
    const [crossing] = await tx.$queryRaw<{ mandate_id: string; recharge_outcome: RechargeOutcome | null }[]>`
      SELECT mandate_id, recharge_outcome FROM pool_threshold_crossing WHERE id = ${crossingId}::uuid FOR UPDATE`;
    if (!crossing) return { outcome: "GONE" };
    const existing = await tx.payment.findUnique({ where: { thresholdCrossingId: crossingId } });
    if (existing) return { outcome: "STARTED", payment: existing };
    if (crossing.recharge_outcome) return { outcome: crossing.recharge_outcome };
    const mandateId = crossing.mandate_id;

    // The settings row's lock orders this mandate's recharges: the reads below see every recharge
    // committed before (READ COMMITTED reads afresh per statement).
    const [settings] = await tx.$queryRaw<
      {
        enabled: boolean;
        has_card: boolean;
        cap_reached: boolean;
        in_flight: boolean;
      }[]
    >`SELECT s.auto_recharge_enabled AS enabled,
             s.stripe_payment_method_id IS NOT NULL AND s.stripe_customer_id IS NOT NULL AS has_card,
             s.month_reset_at >= ${ZURICH_MONTH_START_SQL} AND s.recharges_this_month >= s.recharge_max_per_month
               AS cap_reached,
             EXISTS (SELECT 1 FROM payment p
                      WHERE p.mandate_id = s.mandate_id AND p.kind = 'AUTO_RECHARGE'
                        AND p.status IN ('PENDING', 'PROCESSING')) AS in_flight
        FROM billing_settings s WHERE s.mandate_id = ${mandateId}::uuid FOR UPDATE`;
    const refusal: RechargeOutcome | null = !settings?.enabled
      ? "DISABLED"
      : !settings.has_card
        ? "NO_CARD"
        : settings.in_flight
          ? "IN_FLIGHT"
          : settings.cap_reached
            ? "MONTHLY_CAP"
            : null;
    if (refusal) {
      await tx.poolThresholdCrossing.update({ where: { id: crossingId }, data: { rechargeOutcome: refusal } });
      return { outcome: refusal };
    }

    // The cap, counted in the database: the month resets on its first recharge, and the row is
    // updated only while the count is below the cap (0 rows: the cap holds, whatever the caller thought).
    const counted = await tx.$executeRaw`
      UPDATE billing_settings
         SET recharges_this_month = CASE WHEN month_reset_at IS NULL OR month_reset_at < ${ZURICH_MONTH_START_SQL}
                                         THEN 1 ELSE recharges_this_month + 1 END,
             month_reset_at = CASE WHEN month_reset_at IS NULL OR month_reset_at < ${ZURICH_MONTH_START_SQL}
                                   THEN ${ZURICH_MONTH_START_SQL} ELSE month_reset_at END
       WHERE mandate_id = ${mandateId}::uuid
         AND (month_reset_at IS NULL OR month_reset_at < ${ZURICH_MONTH_START_SQL}
              OR recharges_this_month < recharge_max_per_month)`;
    if (counted !== 1) {
      await tx.poolThresholdCrossing.update({ where: { id: crossingId }, data: { rechargeOutcome: "MONTHLY_CAP" } });
      return { outcome: "MONTHLY_CAP" };
    }
    const [created] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO payment (mandate_id, amount, kind, threshold_crossing_id, card_brand, card_last4)
      SELECT s.mandate_id, round(s.recharge_amount_chf, 2), 'AUTO_RECHARGE', ${crossingId}::uuid, s.card_brand, s.card_last4
        FROM billing_settings s WHERE s.mandate_id = ${mandateId}::uuid
      RETURNING id`;
    await tx.poolThresholdCrossing.update({ where: { id: crossingId }, data: { rechargeOutcome: "STARTED" } });
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: created!.id } });
    return { outcome: "STARTED", payment };
  });
}

/**
 * The off-session charge. A card refusal (declined, authentication required, the card gone) is an
 * answer, recorded once and never retried; Stripe out of reach throws, and the job runs again
 * later with the same idempotency key.
 */
async function chargeKeptCard(payment: Payment): Promise<Pick<Payment, "id" | "status">> {
  const settings = await prisma.billingSettings.findUniqueOrThrow({
    where: { mandateId: payment.mandateId },
    select: { stripeCustomerId: true, stripePaymentMethodId: true },
  });
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripeClient().paymentIntents.create(
      {
        amount: toMinorUnits(payment.amount.toFixed(2)),
        currency: "chf",
        customer: settings.stripeCustomerId ?? undefined,
        payment_method: settings.stripePaymentMethodId ?? undefined,
        off_session: true,
        confirm: true,
        description: "Automatic recharge of AI credit",
        metadata: { paymentId: payment.id, mandateId: payment.mandateId, kind: "AUTO_RECHARGE" },
      },
      { idempotencyKey: `auto-recharge:${payment.id}` },
    );
  } catch (err) {
    if (err instanceof Stripe.errors.StripeCardError || err instanceof Stripe.errors.StripeInvalidRequestError) {
      return recordRechargeFailure(payment.id, {
        code: err.code ?? err.type,
        message: err.message,
        intentId: err.payment_intent?.id ?? null,
      });
    }
    throw err;
  }
  // Null only for an intent that is not a recharge of ours, which this one is by its metadata.
  return (await settleRechargeIntent(intent)) ?? { id: payment.id, status: payment.status };
}
