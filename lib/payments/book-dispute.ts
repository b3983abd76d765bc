import { prisma } from "@/lib/db/client";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { adjust } from "@/lib/ledger/post-transaction";
import { queueMandateEmail } from "@/lib/notifications/mandate-email";
import { stripeClient } from "@/lib/stripe/stripe-client";
import { fromMinorUnits } from "./minor-units";
import { paidPaymentOfCharge } from "./payment-of-charge";
import { recordStripeEvent } from "./webhook-event-record";

export type DisputeEventType =
  | "charge.dispute.created"
  | "charge.dispute.funds_withdrawn"
  | "charge.dispute.funds_reinstated"
  | "charge.dispute.closed";

/**
 * A dispute (chargeback). Money leaves the pool when Stripe withdraws the funds, not when the
 * dispute opens, and comes back when they are reinstated (a won dispute); each movement is booked
 * once (`dispute:<dp_…>:withdrawn` / `:reinstated`) whatever order the events arrive in. The
 * dispute's status is read from Stripe, so a late event never sets an older one.
 */
export async function bookDispute(
  disputeId: string,
  type: DisputeEventType,
  opts: { eventId?: string } = {},
): Promise<void> {
  const stripe = stripeClient();
  const dispute = await stripe.disputes.retrieve(disputeId, { expand: ["charge"] });
  const charge = typeof dispute.charge === "object" ? dispute.charge : await stripe.charges.retrieve(dispute.charge);
  const payment = await paidPaymentOfCharge(stripe, charge);
  if (!payment) return;
  const amount = fromMinorUnits(dispute.amount);
  const { accountId: poolAccountId } = await getPoolAccount(payment.mandateId);

  await prisma.$transaction(async (tx) => {
    if (!(await recordStripeEvent(tx, opts.eventId))) return;
    await tx.$queryRaw`SELECT id FROM payment WHERE id = ${payment.id}::uuid FOR UPDATE`;
    const row = await tx.paymentDispute.upsert({
      where: { stripeDisputeId: dispute.id },
      create: { paymentId: payment.id, stripeDisputeId: dispute.id, amount, status: dispute.status },
      update: { status: dispute.status, amount },
    });
    const movement = MOVEMENTS[type];
    if (!movement || row[movement.column]) return;
    const booking = await adjust({
      tx,
      accountId: poolAccountId,
      amount: movement.sign === -1 ? `-${amount}` : amount,
      idempotencyKey: `dispute:${dispute.id}:${movement.key}`,
      wording: { key: movement.wording, stripeId: dispute.id },
      referenceType: "PAYMENT",
      referenceId: dispute.id,
      createdByUserId: null,
    });
    await tx.paymentDispute.update({ where: { id: row.id }, data: { [movement.column]: booking.transactionId } });
    await queueMandateEmail(tx, { kind: movement.email, disputeId: row.id });
  });
}

const MOVEMENTS: Partial<
  Record<
    DisputeEventType,
    {
      column: "withdrawnTransactionId" | "reinstatedTransactionId";
      key: string;
      sign: 1 | -1;
      wording: "disputeWithdrawn" | "disputeReinstated";
      email: "dispute-funds-withdrawn" | "dispute-funds-reinstated";
    }
  >
> = {
  "charge.dispute.funds_withdrawn": {
    column: "withdrawnTransactionId",
    key: "withdrawn",
    sign: -1,
    wording: "disputeWithdrawn",
    email: "dispute-funds-withdrawn",
  },
  "charge.dispute.funds_reinstated": {
    column: "reinstatedTransactionId",
    key: "reinstated",
    sign: 1,
    wording: "disputeReinstated",
    email: "dispute-funds-reinstated",
  },
};
