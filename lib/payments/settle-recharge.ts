import type Stripe from "stripe";
import { prisma } from "@/lib/db/client";
import type { Payment } from "@/lib/db/generated/client";
import { queueMandateEmail } from "@/lib/notifications/mandate-email";
import { stripeClient } from "@/lib/stripe/stripe-client";
import { creditPaidPayment } from "./credit-paid-payment";
import { toMinorUnits } from "./minor-units";
import { RECHARGE_FAILURES_TO_SWITCH_OFF } from "./recharge-failure";
import { recordStripeEvent } from "./webhook-event-record";

/**
 * Settles an automatic recharge from its PaymentIntent as Stripe has it now (re-read, never the
 * caller's copy): succeeded → the pool is credited once (key `payment:<id>`, as a top-up), the
 * failures in a row are forgotten and the e-mail queued, all in one transaction; processing →
 * PROCESSING (the webhook settles it later); needing the customer or refused → recorded as a
 * failure. The job that charged calls it, and so do the payment_intent.* webhooks, in any order.
 * Null for an intent that is not one of our recharges.
 */
export async function settleRechargeIntent(
  intentOrId: Stripe.PaymentIntent | string,
  opts: { eventId?: string } = {},
): Promise<Pick<Payment, "id" | "status"> | null> {
  const intentId = typeof intentOrId === "string" ? intentOrId : intentOrId.id;
  const intent = await stripeClient().paymentIntents.retrieve(intentId, { expand: ["latest_charge"] });
  const paymentId = intent.metadata?.paymentId;
  if (intent.metadata?.kind !== "AUTO_RECHARGE" || !paymentId) return null;

  if (
    intent.status === "requires_payment_method" ||
    intent.status === "requires_action" ||
    intent.status === "canceled"
  ) {
    const error = intent.last_payment_error;
    return recordRechargeFailure(paymentId, {
      code: error?.code ?? (intent.status === "requires_action" ? "authentication_required" : intent.status),
      message: error?.message ?? `payment ${intent.status}`,
      intentId: intent.id,
      eventId: opts.eventId,
    });
  }

  return prisma.$transaction(async (tx) => {
    const [payment] = await tx.$queryRaw<
      { id: string; mandate_id: string; amount: string; status: Payment["status"] }[]
    >`
      SELECT id, mandate_id, round(amount, 2)::text AS amount, status FROM payment
       WHERE id = ${paymentId}::uuid AND kind = 'AUTO_RECHARGE' FOR UPDATE`;
    if (!payment) return null;
    if (!(await recordStripeEvent(tx, opts.eventId))) return { id: payment.id, status: payment.status };
    if (payment.status === "PAID" || payment.status === "FAILED") return { id: payment.id, status: payment.status };

    if (intent.status !== "succeeded") {
      await tx.payment.update({
        where: { id: payment.id },
        data: { status: "PROCESSING", stripePaymentIntentId: intent.id },
      });
      return { id: payment.id, status: "PROCESSING" as const };
    }
    // Never credit what was not charged.
    if (intent.amount_received !== toMinorUnits(payment.amount) || intent.currency !== "chf") {
      throw new Error(
        `payment intent ${intent.id} received ${intent.amount_received} ${intent.currency}, payment ${payment.id} is ${payment.amount} CHF`,
      );
    }
    await creditPaidPayment(tx, {
      paymentId: payment.id,
      mandateId: payment.mandate_id,
      amountReceived: intent.amount_received,
      wordingKey: "autoRecharge",
      intentId: intent.id,
      referenceId: intent.id,
      charge: typeof intent.latest_charge === "object" ? intent.latest_charge : null,
    });
    await tx.billingSettings.update({
      where: { mandateId: payment.mandate_id },
      data: { rechargeFailuresInRow: 0 },
    });
    await queueMandateEmail(tx, { kind: "auto-recharge-succeeded", paymentId: payment.id });
    return { id: payment.id, status: "PAID" as const };
  });
}

/**
 * A refused recharge: the payment FAILED with Stripe's code, the month's count given back (the cap
 * counts charges, not attempts), one more failure in a row, auto-recharge switched off at the
 * third, and the e-mail queued with it. Once per payment: a second call finds it FAILED.
 */
export async function recordRechargeFailure(
  paymentId: string,
  failure: { code: string; message: string; intentId: string | null; eventId?: string },
): Promise<Pick<Payment, "id" | "status">> {
  return prisma.$transaction(async (tx) => {
    const [payment] = await tx.$queryRaw<{ mandate_id: string; status: string }[]>`
      SELECT mandate_id, status FROM payment WHERE id = ${paymentId}::uuid FOR UPDATE`;
    if (!payment) throw new Error(`payment ${paymentId} vanished`);
    const fresh = await recordStripeEvent(tx, failure.eventId);
    if (!fresh || (payment.status !== "PENDING" && payment.status !== "PROCESSING")) {
      return { id: paymentId, status: payment.status as Payment["status"] };
    }
    await tx.payment.update({
      where: { id: paymentId },
      data: {
        status: "FAILED",
        failureCode: failure.code.slice(0, 100),
        failureMessage: failure.message.slice(0, 500),
        stripePaymentIntentId: failure.intentId ?? undefined,
      },
    });
    const [settings] = await tx.$queryRaw<{ failures: number; switched_off: boolean }[]>`
      UPDATE billing_settings
         SET recharges_this_month = greatest(recharges_this_month - 1, 0),
             recharge_failures_in_row = recharge_failures_in_row + 1,
             auto_recharge_enabled = auto_recharge_enabled AND recharge_failures_in_row + 1 < ${RECHARGE_FAILURES_TO_SWITCH_OFF},
             auto_recharge_switched_off_at = CASE
               WHEN auto_recharge_enabled AND recharge_failures_in_row + 1 >= ${RECHARGE_FAILURES_TO_SWITCH_OFF}
               THEN now() ELSE auto_recharge_switched_off_at END
       WHERE mandate_id = ${payment.mandate_id}::uuid
      RETURNING recharge_failures_in_row AS failures,
                auto_recharge_switched_off_at IS NOT NULL AND auto_recharge_switched_off_at = now() AS switched_off`;
    await queueMandateEmail(tx, {
      kind: "auto-recharge-failed",
      paymentId,
      ...(settings?.switched_off ? { switchedOffAfter: settings.failures } : {}),
    });
    return { id: paymentId, status: "FAILED" as const };
  });
}
