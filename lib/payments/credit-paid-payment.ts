import type Stripe from "stripe";
import type { Prisma } from "@/lib/db/generated/client";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { credit } from "@/lib/ledger/post-transaction";
import type { Booking } from "@/lib/ledger/types";
import { fromMinorUnits } from "./minor-units";

/**
 * The booking every paid payment ends in, top-up or automatic recharge: the pool credited with what
 * Stripe received (key `payment:<id>`, so a second fulfilment books nothing) and the payment marked
 * PAID with its charge and card, in the caller's transaction, which holds the payment's row lock.
 */
export async function creditPaidPayment(
  tx: Prisma.TransactionClient,
  paid: {
    paymentId: string;
    mandateId: string;
    /** What Stripe received, in Rappen; the caller has checked it against the payment's amount. */
    amountReceived: number;
    /** What the credit says (lib/ledger/wording.ts), with the card when Stripe names it. */
    wordingKey: "topUp" | "autoRecharge";
    intentId: string | null;
    /** What the credit refers to at Stripe: the intent, else the Checkout Session. */
    referenceId: string;
    charge: Stripe.Charge | null;
    /** Further payment columns set with PAID (e.g. the Checkout Session id). */
    more?: Prisma.PaymentUpdateInput;
  },
): Promise<Booking> {
  const card = paid.charge?.payment_method_details?.card;
  const { accountId } = await getPoolAccount(paid.mandateId);
  const booking = await credit({
    tx,
    accountId,
    amount: fromMinorUnits(paid.amountReceived),
    idempotencyKey: `payment:${paid.paymentId}`,
    wording: { key: paid.wordingKey, card: card?.last4 ? { brand: card.brand ?? null, last4: card.last4 } : null },
    referenceType: "PAYMENT",
    referenceId: paid.referenceId,
  });
  await tx.payment.update({
    where: { id: paid.paymentId },
    data: {
      ...paid.more,
      status: "PAID",
      creditTransactionId: booking.transactionId,
      stripePaymentIntentId: paid.intentId,
      stripeChargeId: paid.charge?.id ?? null,
      cardBrand: card?.brand ?? undefined,
      cardLast4: card?.last4 ?? undefined,
      receiptUrl: paid.charge?.receipt_url ?? null,
      paidAt: new Date(),
    },
  });
  return booking;
}
