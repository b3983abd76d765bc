import { prisma } from "@/lib/db/client";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { adjust } from "@/lib/ledger/post-transaction";
import { queueMandateEmail } from "@/lib/notifications/mandate-email";
import { stripeClient } from "@/lib/stripe/stripe-client";
import { fromMinorUnits } from "./minor-units";
import { paidPaymentOfCharge } from "./payment-of-charge";
import { recordStripeEvent } from "./webhook-event-record";

/**
 * `charge.refunded`: the charge's amount_refunded is cumulative, so the event alone cannot say
 * which refund is new. Stripe's list of the charge's refunds can: each refund not yet booked is
 * booked out of the pool once (a negative ADJUSTMENT, key `refund:<re_…>`), so a partial refund
 * and then the rest book the two differences, and a redelivered event books nothing. The pool
 * may go below zero (the customer spent the credit already); the billing check then refuses.
 * Returns how many refunds this call booked.
 */
export async function bookRefunds(chargeId: string, opts: { eventId?: string } = {}): Promise<number> {
  const stripe = stripeClient();
  const charge = await stripe.charges.retrieve(chargeId);
  const payment = await paidPaymentOfCharge(stripe, charge);
  if (!payment) return 0;
  // Pending refunds count in amount_refunded too: the money is on its way back to the card.
  const refunds = (
    await stripe.refunds.list({ charge: chargeId, limit: 100 }).autoPagingToArray({ limit: 10_000 })
  ).filter((refund) => refund.status === "succeeded" || refund.status === "pending");

  const { accountId: poolAccountId } = await getPoolAccount(payment.mandateId);

  return prisma.$transaction(async (tx) => {
    if (!(await recordStripeEvent(tx, opts.eventId))) return 0;
    await tx.$queryRaw`SELECT id FROM payment WHERE id = ${payment.id}::uuid FOR UPDATE`;
    const booked = new Set(
      (await tx.paymentRefund.findMany({ where: { paymentId: payment.id }, select: { stripeRefundId: true } })).map(
        (r) => r.stripeRefundId,
      ),
    );
    let count = 0;
    for (const refund of refunds) {
      if (booked.has(refund.id)) continue;
      const amount = fromMinorUnits(refund.amount);
      const booking = await adjust({
        tx,
        accountId: poolAccountId,
        amount: `-${amount}`,
        idempotencyKey: `refund:${refund.id}`,
        wording: { key: "refund", stripeId: refund.id },
        referenceType: "PAYMENT",
        referenceId: refund.id,
        createdByUserId: null,
      });
      const row = await tx.paymentRefund.create({
        data: { paymentId: payment.id, stripeRefundId: refund.id, amount, transactionId: booking.transactionId },
        select: { id: true },
      });
      await queueMandateEmail(tx, { kind: "refund-booked", refundId: row.id });
      count += 1;
    }
    return count;
  });
}
