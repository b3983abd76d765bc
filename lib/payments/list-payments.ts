import { prisma } from "@/lib/db/client";
import { add, toMoney } from "@/lib/money/money";
import type { PaymentKind, PaymentStatus, Prisma } from "@/lib/db/generated/client";

export interface PaymentView {
  id: string;
  /** A top-up by a person, or an automatic recharge. */
  kind: PaymentKind;
  status: PaymentStatus;
  /** Stripe's code of a refused automatic recharge. */
  failureCode: string | null;
  /** CHF, two decimals. */
  amount: string;
  currency: string;
  createdAt: Date;
  paidAt: Date | null;
  cardBrand: string | null;
  cardLast4: string | null;
  receiptUrl: string | null;
  /** Sum of the refunds booked, two decimals. */
  refunded: string;
  refunds: { id: string; stripeRefundId: string; amount: string; createdAt: Date }[];
  disputes: {
    id: string;
    stripeDisputeId: string;
    amount: string;
    status: string;
    fundsWithdrawn: boolean;
    fundsReinstated: boolean;
  }[];
}

/** A mandate's top-ups, newest first, with their refunds and disputes (the payments page). */
export async function listPayments(mandateId: string, opts: { limit?: number } = {}): Promise<PaymentView[]> {
  const rows = await prisma.payment.findMany({
    where: { mandateId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit ?? 200,
    include: WITH_MOVEMENTS,
  });
  return rows.map(toView);
}

/** One payment of a mandate (the success and cancel pages), or null. */
export async function getPayment(mandateId: string, paymentId: string): Promise<PaymentView | null> {
  const row = await prisma.payment.findFirst({ where: { id: paymentId, mandateId }, include: WITH_MOVEMENTS });
  return row ? toView(row) : null;
}

const WITH_MOVEMENTS = {
  refunds: { orderBy: { createdAt: "asc" } },
  disputes: { orderBy: { createdAt: "asc" } },
} as const;

type PaymentRow = Prisma.PaymentGetPayload<{ include: typeof WITH_MOVEMENTS }>;

function toView(p: PaymentRow): PaymentView {
  return {
    id: p.id,
    kind: p.kind,
    status: p.status,
    failureCode: p.failureCode,
    amount: p.amount.toFixed(2),
    currency: p.currency,
    createdAt: p.createdAt,
    paidAt: p.paidAt,
    cardBrand: p.cardBrand,
    cardLast4: p.cardLast4,
    receiptUrl: p.receiptUrl,
    refunded: p.refunds.reduce((sum, r) => add(sum, r.amount), toMoney("0")).toFixed(2),
    refunds: p.refunds.map((r) => ({
      id: r.id,
      stripeRefundId: r.stripeRefundId,
      amount: r.amount.toFixed(2),
      createdAt: r.createdAt,
    })),
    disputes: p.disputes.map((d) => ({
      id: d.id,
      stripeDisputeId: d.stripeDisputeId,
      amount: d.amount.toFixed(2),
      status: d.status,
      fundsWithdrawn: d.withdrawnTransactionId !== null,
      fundsReinstated: d.reinstatedTransactionId !== null,
    })),
  };
}
