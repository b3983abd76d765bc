import type Stripe from "stripe";
import { prisma } from "@/lib/db/client";
import type { PaymentStatus, Prisma } from "@/lib/db/generated/client";
import { queueMandateEmail } from "@/lib/notifications/mandate-email";
import { stripeClient } from "@/lib/stripe/stripe-client";
import { creditPaidPayment } from "./credit-paid-payment";
import { toMinorUnits } from "./minor-units";
import { recordStripeEvent } from "./webhook-event-record";

export interface Fulfilment {
  paymentId: string;
  mandateId: string;
  status: PaymentStatus;
  amount: string;
  /** True when this call booked the credit (false: booked before, or not paid). */
  credited: boolean;
}

/**
 * The one fulfilment of a top-up's Checkout Session: reads the session from Stripe (never the
 * caller's word) and credits the pool exactly once when it is paid. The webhook calls it, and so
 * does the success page, in any order and at the same moment: the payment row's lock serialises
 * them and the credit's idempotency key `payment:<id>` would catch a second booking anyway.
 * `failed` marks a delayed payment Stripe reported failed. Null for a session that is not ours.
 */
export async function fulfilCheckoutSession(
  sessionId: string,
  opts: { eventId?: string; failed?: boolean } = {},
): Promise<Fulfilment | null> {
  const stripe = stripeClient();
  const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ["payment_intent.latest_charge"] });
  const paymentId = session.metadata?.paymentId ?? session.client_reference_id;
  if (!paymentId) return null;
  const known = await prisma.payment.findUnique({ where: { id: paymentId }, select: { saveCard: true } });
  if (!known) return null;

  const intent = typeof session.payment_intent === "object" ? session.payment_intent : null;
  const paid = session.payment_status === "paid";
  if (paid && known.saveCard) await keepCardForRecharge(stripe, session, intent);

  return prisma.$transaction(async (tx) => {
    if (!(await recordStripeEvent(tx, opts.eventId))) return currentState(tx, paymentId, false);
    const [payment] = await tx.$queryRaw<{ id: string; mandate_id: string; amount: string; status: PaymentStatus }[]>`
      SELECT id, mandate_id, round(amount, 2)::text AS amount, status FROM payment WHERE id = ${paymentId}::uuid FOR UPDATE`;
    if (!payment) return null;
    if (payment.status === "PAID") return currentState(tx, paymentId, false);

    if (paid) {
      // Never credit what was not charged: the session must be for this payment's amount in CHF.
      if (session.amount_total !== toMinorUnits(payment.amount) || session.currency !== "chf") {
        throw new Error(
          `checkout session ${session.id} charged ${session.amount_total} ${session.currency}, payment ${payment.id} is ${payment.amount} CHF`,
        );
      }
      const charge = intent && typeof intent.latest_charge === "object" ? intent.latest_charge : null;
      const card = charge?.payment_method_details?.card;
      const booking = await creditPaidPayment(tx, {
        paymentId: payment.id,
        mandateId: payment.mandate_id,
        amountReceived: session.amount_total,
        wordingKey: "topUp",
        intentId: intent?.id ?? null,
        referenceId: intent?.id ?? session.id,
        charge,
        more: { stripeCheckoutSessionId: session.id },
      });
      const method =
        intent && (typeof intent.payment_method === "string" ? intent.payment_method : intent.payment_method?.id);
      if (known.saveCard && method) {
        // The card auto-recharge charges from now on (made the customer's default above).
        await tx.billingSettings.update({
          where: { mandateId: payment.mandate_id },
          data: { stripePaymentMethodId: method, cardBrand: card?.brand ?? null, cardLast4: card?.last4 ?? null },
        });
      }
      await queueMandateEmail(tx, { kind: "top-up-receipt", paymentId: payment.id });
      return {
        paymentId: payment.id,
        mandateId: payment.mandate_id,
        status: "PAID",
        amount: payment.amount,
        credited: !booking.replayed,
      };
    }

    const status = unpaidStatus(session, opts.failed === true);
    if (status !== payment.status) {
      await tx.payment.update({
        where: { id: payment.id },
        data: { status, stripeCheckoutSessionId: session.id, stripePaymentIntentId: intent?.id ?? undefined },
      });
    }
    return { paymentId: payment.id, mandateId: payment.mandate_id, status, amount: payment.amount, credited: false };
  });
}

/** An unpaid session: still open, waiting for a delayed method, failed, or expired. */
function unpaidStatus(session: Stripe.Checkout.Session, failed: boolean): PaymentStatus {
  if (session.status === "expired") return "EXPIRED";
  if (failed) return "FAILED";
  return session.status === "complete" ? "PROCESSING" : "PENDING";
}

async function currentState(
  tx: Prisma.TransactionClient,
  paymentId: string,
  credited: boolean,
): Promise<Fulfilment | null> {
  const payment = await tx.payment.findUnique({ where: { id: paymentId } });
  if (!payment) return null;
  return {
    paymentId: payment.id,
    mandateId: payment.mandateId,
    status: payment.status,
    amount: payment.amount.toFixed(2),
    credited,
  };
}

/**
 * The card the customer asked to keep becomes the customer's default payment method, so an
 * automatic recharge has something to charge (Checkout attaches it, but does not make it the
 * default). Setting it again is harmless, so a repeated fulfilment repeats it.
 */
async function keepCardForRecharge(
  stripe: Stripe,
  session: Stripe.Checkout.Session,
  intent: Stripe.PaymentIntent | null,
): Promise<void> {
  const customer = typeof session.customer === "string" ? session.customer : session.customer?.id;
  const method =
    intent && (typeof intent.payment_method === "string" ? intent.payment_method : intent.payment_method?.id);
  if (!customer || !method) return;
  await stripe.customers.update(customer, { invoice_settings: { default_payment_method: method } });
}
