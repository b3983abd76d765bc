import type { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/client";
import { findEmailRecipients, type EmailRecipients } from "@/lib/email/find-email-recipients";
import { autoRechargeFailedEmail } from "@/lib/email/messages/auto-recharge-failed";
import { autoRechargeSucceededEmail } from "@/lib/email/messages/auto-recharge-succeeded";
import { disputeFundsReinstatedEmail, disputeFundsWithdrawnEmail } from "@/lib/email/messages/dispute-funds";
import { poolExhaustedEmail } from "@/lib/email/messages/pool-exhausted";
import { refundBookedEmail } from "@/lib/email/messages/refund-booked";
import type { RenderedEmail } from "@/lib/email/messages/render-email";
import { topUpReceiptEmail } from "@/lib/email/messages/top-up-receipt";
import { sendEmail } from "@/lib/email/send-email";
import { enqueueJob } from "@/lib/jobs/queue";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { rechargeFailureReason } from "@/lib/payments/recharge-failure";
import type { MandateEmailJob } from "./mandate-email-job";

/** Queues the e-mail in the transaction that books what it tells of: no booking, no e-mail. */
export async function queueMandateEmail(tx: Prisma.TransactionClient, job: MandateEmailJob): Promise<void> {
  await enqueueJob(tx, "mandate-email", job);
}

export type MandateEmailOutcome = "sent" | "no-recipient" | "gone";

/**
 * The "mandate-email" job: reads the fact, renders the e-mail in the mandate's language and sends
 * it to the mandate's recipients, once per fact (the dedupe key). A mandate without recipients
 * (no notify address, no owner) gets nothing; a fact that no longer exists sends nothing.
 */
export async function sendMandateEmail(job: MandateEmailJob): Promise<MandateEmailOutcome> {
  const found = await renderFor(job);
  if (!found) return "gone";
  const { mandateId, dedupeKey, render } = found;
  const recipients = await findEmailRecipients(mandateId);
  if (!recipients) return "gone";
  if (recipients.to.length === 0) return "no-recipient";
  await sendEmail({ message: render(recipients), to: recipients.to, mandateId, dedupeKey });
  return "sent";
}

interface Renderable {
  mandateId: string;
  dedupeKey: string;
  render: (r: EmailRecipients) => RenderedEmail;
}

async function renderFor(job: MandateEmailJob): Promise<Renderable | null> {
  switch (job.kind) {
    case "top-up-receipt":
    case "auto-recharge-succeeded":
    case "auto-recharge-failed": {
      const payment = await prisma.payment.findUnique({ where: { id: job.paymentId } });
      if (!payment) return null;
      const amount = payment.amount.toFixed(2);
      const card = { brand: payment.cardBrand, last4: payment.cardLast4 };
      const base = { mandateId: payment.mandateId, dedupeKey: `${job.kind}:${payment.id}` };
      if (job.kind === "top-up-receipt") {
        return {
          ...base,
          render: (r) =>
            topUpReceiptEmail({ ...common(r, payment.mandateId), amount, card, receiptUrl: payment.receiptUrl }),
        };
      }
      if (job.kind === "auto-recharge-succeeded") {
        const { balance } = await getPoolAccount(payment.mandateId);
        return {
          ...base,
          render: (r) => autoRechargeSucceededEmail({ ...common(r, payment.mandateId), amount, balance, card }),
        };
      }
      return {
        ...base,
        render: (r) =>
          autoRechargeFailedEmail({
            ...common(r, payment.mandateId),
            amount,
            card,
            reason: rechargeFailureReason(payment.failureCode),
            switchedOffAfter: job.switchedOffAfter,
          }),
      };
    }
    case "refund-booked": {
      const refund = await prisma.paymentRefund.findUnique({ where: { id: job.refundId }, include: { payment: true } });
      if (!refund) return null;
      const mandateId = refund.payment.mandateId;
      return {
        mandateId,
        dedupeKey: `refund-booked:${refund.id}`,
        render: (r) => refundBookedEmail({ ...common(r, mandateId), amount: refund.amount.toFixed(2) }),
      };
    }
    case "dispute-funds-withdrawn":
    case "dispute-funds-reinstated": {
      const dispute = await prisma.paymentDispute.findUnique({
        where: { id: job.disputeId },
        include: { payment: true },
      });
      if (!dispute) return null;
      const mandateId = dispute.payment.mandateId;
      const email = job.kind === "dispute-funds-withdrawn" ? disputeFundsWithdrawnEmail : disputeFundsReinstatedEmail;
      return {
        mandateId,
        dedupeKey: `${job.kind}:${dispute.id}`,
        render: (r) => email({ ...common(r, mandateId), amount: dispute.amount.toFixed(2) }),
      };
    }
    case "pool-exhausted": {
      const { balance } = await getPoolAccount(job.mandateId);
      return {
        mandateId: job.mandateId,
        dedupeKey: `pool-exhausted:${job.mandateId}:${job.at}`,
        render: (r) => poolExhaustedEmail({ ...common(r, job.mandateId), balance }),
      };
    }
  }
}

function common(r: EmailRecipients, mandateId: string) {
  return { locale: r.locale, mandateId, mandateName: r.mandateName };
}
