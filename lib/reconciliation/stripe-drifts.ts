import type Stripe from "stripe";
import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { isUuid } from "@/lib/ids/uuid";
import { compare, toMoneyString } from "@/lib/money/money";
import { fromMinorUnits } from "@/lib/payments/minor-units";
import type { Drift, DriftRow } from "./drift";
import { inScope, type MandateDrift, type MandateScope } from "./ledger-drifts";

/**
 * (c) Our payments against Stripe's own lists, read through the API (every PaymentIntent, refund
 * and dispute of the account, page by page): a charge that succeeded at Stripe but was never
 * credited, a credit whose charge did not succeed, a refund or a dispute movement not booked.
 * Objects are tied to a mandate by our payment row, else by the mandateId in their metadata.
 */
export interface StripeDrifts {
  drifts: MandateDrift[];
  /** Objects carrying our metadata whose mandate is unknown here. */
  unassigned: Drift[];
}

interface PaymentRecord {
  id: string;
  mandate_id: string;
  status: string;
  amount: string;
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
  credit_transaction_id: string | null;
}

/** Refunds Stripe has made or is making: book-refunds books both (pending money is on its way back). */
const BOOKED_REFUND_STATUSES = new Set(["succeeded", "pending"]);

export async function stripeDrifts(stripe: Stripe, scope: MandateScope): Promise<StripeDrifts> {
  const [intents, refunds, disputes] = await Promise.all([
    listAll(stripe.paymentIntents.list({ limit: 100 })),
    listAll(stripe.refunds.list({ limit: 100 })),
    listAll(stripe.disputes.list({ limit: 100 })),
  ]);
  const ours = intents.filter((pi) => pi.metadata?.paymentId);
  const named = ours.map((pi) => pi.metadata.paymentId).filter((id): id is string => !!id && isUuid(id));
  const payments = await prisma.$queryRaw<PaymentRecord[]>`
    SELECT id, mandate_id, status::text AS status, amount::text AS amount, stripe_payment_intent_id,
           stripe_charge_id, credit_transaction_id
      FROM payment
     WHERE id = ANY(${named}::uuid[])
        OR ${inScope(Prisma.sql`mandate_id`, scope)}`;
  const byId = new Map(payments.map((p) => [p.id, p]));
  const byIntent = new Map(
    payments.flatMap((p) => (p.stripe_payment_intent_id ? [[p.stripe_payment_intent_id, p]] : [])),
  );
  const byCharge = new Map(payments.flatMap((p) => (p.stripe_charge_id ? [[p.stripe_charge_id, p]] : [])));
  const intentsById = new Map(intents.map((pi) => [pi.id, pi]));
  const knownMandates = new Set((await prisma.mandate.findMany({ select: { id: true } })).map((m) => m.id));

  const result: StripeDrifts = { drifts: [], unassigned: [] };
  const report = (mandateId: string | undefined, drift: Drift) => {
    if (mandateId && knownMandates.has(mandateId)) {
      if (scope === null || scope.includes(mandateId)) result.drifts.push({ mandateId, drift });
    } else if (scope === null) {
      result.unassigned.push(drift);
    }
  };
  /** Our payment behind a PaymentIntent or charge id: the recorded ids first, then the intent's metadata. */
  const paymentOf = (intentId: string | null, chargeId: string | null): PaymentRecord | undefined =>
    (intentId ? byIntent.get(intentId) : undefined) ??
    (chargeId ? byCharge.get(chargeId) : undefined) ??
    byId.get((intentId && intentsById.get(intentId)?.metadata?.paymentId) || "");

  // Every succeeded PaymentIntent of ours has a paid payment, credited, for this very intent.
  for (const pi of ours) {
    if (pi.status !== "succeeded") continue;
    const payment = byId.get(pi.metadata.paymentId ?? "");
    const problem = !payment
      ? "names a payment that does not exist here"
      : payment.status !== "PAID" || !payment.credit_transaction_id
        ? `its payment is ${payment.status}${payment.credit_transaction_id ? "" : " without credit"}`
        : payment.stripe_payment_intent_id !== pi.id
          ? `its payment was credited for PaymentIntent ${payment.stripe_payment_intent_id ?? "-"}`
          : null;
    if (!problem) continue;
    report(payment?.mandate_id ?? pi.metadata.mandateId, {
      kind: "STRIPE_PAYMENT_NOT_BOOKED",
      message: `PaymentIntent ${pi.id} succeeded at Stripe (${fromMinorUnits(pi.amount_received || pi.amount)} ${pi.currency.toUpperCase()}), but ${problem}`,
      rows: [
        intentRow(pi),
        ...(payment
          ? [{ source: "payment" as const, id: payment.id, amount: payment.amount, note: `status ${payment.status}` }]
          : []),
      ],
    });
  }

  // Every paid payment's PaymentIntent succeeded at Stripe, for the same amount in CHF.
  for (const payment of payments) {
    if (payment.status !== "PAID" || (scope !== null && !scope.includes(payment.mandate_id))) continue;
    const paymentRow: DriftRow = { source: "payment", id: payment.id, amount: payment.amount, note: "PAID" };
    const pi = payment.stripe_payment_intent_id ? intentsById.get(payment.stripe_payment_intent_id) : undefined;
    if (!pi || pi.status !== "succeeded") {
      report(payment.mandate_id, {
        kind: "STRIPE_PAYMENT_NOT_SUCCEEDED",
        message: `paid payment ${payment.id}: ${
          !payment.stripe_payment_intent_id
            ? "no PaymentIntent recorded"
            : pi
              ? `PaymentIntent ${pi.id} is ${pi.status} at Stripe`
              : `PaymentIntent ${payment.stripe_payment_intent_id} not found at Stripe`
        }`,
        rows: [paymentRow, ...(pi ? [intentRow(pi)] : [])],
      });
      continue;
    }
    const charged = fromMinorUnits(pi.amount_received || pi.amount);
    if (compare(charged, payment.amount) !== 0 || pi.currency !== "chf") {
      report(payment.mandate_id, {
        kind: "STRIPE_PAYMENT_AMOUNT_MISMATCH",
        message: `paid payment ${payment.id} is ${toMoneyString(payment.amount)} CHF, its PaymentIntent ${pi.id} charged ${charged} ${pi.currency.toUpperCase()}`,
        rows: [paymentRow, intentRow(pi)],
      });
    }
  }

  const [refundRows, disputeRows] = await Promise.all([
    prisma.paymentRefund.findMany({
      where: { paymentId: { in: payments.map((p) => p.id) } },
      select: { id: true, paymentId: true, stripeRefundId: true, amount: true, transactionId: true },
    }),
    prisma.paymentDispute.findMany({
      where: { paymentId: { in: payments.map((p) => p.id) } },
      select: {
        id: true,
        paymentId: true,
        stripeDisputeId: true,
        amount: true,
        withdrawnTransactionId: true,
        reinstatedTransactionId: true,
      },
    }),
  ]);

  // Refunds: every refund of our charges at Stripe is booked once, and every booked one is at Stripe.
  const bookedRefunds = new Map(refundRows.map((r) => [r.stripeRefundId, r]));
  const stripeRefunds = new Map(refunds.map((r) => [r.id, r]));
  for (const refund of refunds) {
    const payment = paymentOf(idOf(refund.payment_intent), idOf(refund.charge));
    if (!payment) continue;
    const booked = bookedRefunds.get(refund.id);
    const amount = fromMinorUnits(refund.amount);
    const expected = BOOKED_REFUND_STATUSES.has(refund.status ?? "");
    const problem =
      expected && !booked
        ? "is not booked"
        : !expected && booked
          ? `is ${refund.status} at Stripe but booked`
          : booked && compare(booked.amount.toString(), amount) !== 0
            ? `is ${amount} at Stripe but booked as ${toMoneyString(booked.amount.toString())}`
            : null;
    if (!problem) continue;
    report(payment.mandate_id, {
      kind: booked ? "STRIPE_REFUND_MISMATCH" : "STRIPE_REFUND_NOT_BOOKED",
      message: `refund ${refund.id} (${amount} CHF, ${refund.status}) of payment ${payment.id} ${problem}`,
      rows: [
        { source: "stripe_refund", id: refund.id, amount, note: `status ${refund.status}` },
        { source: "payment", id: payment.id, amount: payment.amount },
        ...(booked ? [refundRow(booked)] : []),
      ],
    });
  }
  for (const booked of refundRows) {
    if (stripeRefunds.has(booked.stripeRefundId)) continue;
    report(byId.get(booked.paymentId)?.mandate_id, {
      kind: "STRIPE_REFUND_MISMATCH",
      message: `refund ${booked.stripeRefundId} is booked for payment ${booked.paymentId} but not found at Stripe`,
      rows: [refundRow(booked), { source: "payment", id: booked.paymentId }],
    });
  }

  // Disputes: withdrawn funds booked out, reinstated funds booked back, as Stripe's balance transactions say.
  const bookedDisputes = new Map(disputeRows.map((d) => [d.stripeDisputeId, d]));
  const stripeDisputes = new Set(disputes.map((d) => d.id));
  for (const dispute of disputes) {
    const payment = paymentOf(idOf(dispute.payment_intent), idOf(dispute.charge));
    if (!payment) continue;
    const booked = bookedDisputes.get(dispute.id);
    const amount = fromMinorUnits(dispute.amount);
    const withdrawn = dispute.balance_transactions.some((b) => b.amount < 0);
    const reinstated = dispute.balance_transactions.some((b) => b.amount > 0);
    const problems: string[] = [];
    if (withdrawn !== !!booked?.withdrawnTransactionId) {
      problems.push(
        withdrawn ? "withdrawn funds not booked" : "funds booked as withdrawn that Stripe did not withdraw",
      );
    }
    if (reinstated !== !!booked?.reinstatedTransactionId) {
      problems.push(
        reinstated ? "reinstated funds not booked" : "funds booked as reinstated that Stripe did not reinstate",
      );
    }
    if (booked && compare(booked.amount.toString(), amount) !== 0) {
      problems.push(`booked for ${toMoneyString(booked.amount.toString())}`);
    }
    if (problems.length === 0) continue;
    report(payment.mandate_id, {
      kind: booked ? "STRIPE_DISPUTE_MISMATCH" : "STRIPE_DISPUTE_NOT_BOOKED",
      message: `dispute ${dispute.id} (${amount} CHF, ${dispute.status}) of payment ${payment.id}: ${problems.join("; ")}`,
      rows: [
        { source: "stripe_dispute", id: dispute.id, amount, note: `status ${dispute.status}` },
        { source: "payment", id: payment.id, amount: payment.amount },
        ...(booked
          ? [{ source: "payment_dispute" as const, id: booked.id, amount: toMoneyString(booked.amount.toString()) }]
          : []),
      ],
    });
  }
  for (const booked of disputeRows) {
    if (stripeDisputes.has(booked.stripeDisputeId)) continue;
    report(byId.get(booked.paymentId)?.mandate_id, {
      kind: "STRIPE_DISPUTE_MISMATCH",
      message: `dispute ${booked.stripeDisputeId} is recorded for payment ${booked.paymentId} but not found at Stripe`,
      rows: [
        { source: "payment_dispute", id: booked.id, amount: toMoneyString(booked.amount.toString()) },
        { source: "payment", id: booked.paymentId },
      ],
    });
  }
  return result;
}

/** Every object of a list, page by page (no cap: reconciliation must see them all). */
async function listAll<T>(list: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of list) all.push(item);
  return all;
}

function idOf(ref: string | { id: string } | null | undefined): string | null {
  return typeof ref === "string" ? ref : (ref?.id ?? null);
}

function intentRow(pi: Stripe.PaymentIntent): DriftRow {
  return {
    source: "stripe_payment_intent",
    id: pi.id,
    amount: fromMinorUnits(pi.amount_received || pi.amount),
    note: `status ${pi.status}`,
  };
}

function refundRow(r: { id: string; amount: { toString(): string }; transactionId: string }): DriftRow {
  return {
    source: "payment_refund",
    id: r.id,
    amount: toMoneyString(r.amount.toString()),
    note: `transaction ${r.transactionId}`,
  };
}
