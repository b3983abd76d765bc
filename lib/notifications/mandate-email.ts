import type { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/client";
import { findEmailRecipients, type EmailRecipients } from "@/lib/email/find-email-recipients";
import { autoRechargeFailedEmail } from "@/lib/email/messages/auto-recharge-failed";
import { autoRechargeSucceededEmail } from "@/lib/email/messages/auto-recharge-succeeded";
import { disputeFundsReinstatedEmail, disputeFundsWithdrawnEmail } from "@/lib/email/messages/dispute-funds";
import { poolExhaustedEmail } from "@/lib/email/messages/pool-exhausted";
import { refundBookedEmail } from "@/lib/email/messages/refund-booked";
import type { RenderedEmail } from "@/lib/email/messages/render-email";
import {
  subscriptionExpiredEmail,
  subscriptionPaymentFailedEmail,
  subscriptionRenewedEmail,
  subscriptionStartedEmail,
} from "@/lib/email/messages/subscription";
import { topUpReceiptEmail } from "@/lib/email/messages/top-up-receipt";
import type { Plan } from "@/lib/db/generated/client";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { OPERATIVE_STATUSES } from "@/lib/subscriptions/subscription-status";
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
    case "subscription-started":
    case "subscription-renewed": {
      const credit = await prisma.subscriptionPeriodCredit.findUnique({
        where: { id: job.creditId },
        include: { subscription: { include: { plan: true } } },
      });
      if (!credit) return null;
      const { subscription } = credit;
      const email = job.kind === "subscription-started" ? subscriptionStartedEmail : subscriptionRenewedEmail;
      return {
        mandateId: subscription.mandateId,
        dedupeKey: `${job.kind}:${credit.id}`,
        render: (r) =>
          email({
            ...subscriptionFacts(r, subscription, subscription.plan),
            budget: credit.amount.toFixed(2),
            periodEnd: formatDateTime(credit.periodEnd.toISOString(), r.locale, false),
          }),
      };
    }
    case "subscription-payment-failed":
    case "subscription-expired": {
      const subscription = await prisma.subscription.findUnique({
        where: { id: job.subscriptionId },
        include: { plan: true },
      });
      if (!subscription) return null;
      if (job.kind === "subscription-expired") {
        // A plan change ends the old plan as the new one starts: its "started" e-mail says enough.
        const running = await prisma.subscription.count({
          where: { mandateId: subscription.mandateId, status: { in: [...OPERATIVE_STATUSES] } },
        });
        if (running > 0) return null;
      }
      const email = job.kind === "subscription-expired" ? subscriptionExpiredEmail : subscriptionPaymentFailedEmail;
      const key = job.kind === "subscription-expired" ? job.subscriptionId : `${job.subscriptionId}:${job.invoiceId}`;
      return {
        mandateId: subscription.mandateId,
        dedupeKey: `${job.kind}:${key}`,
        render: (r) =>
          email({
            ...subscriptionFacts(r, subscription, subscription.plan),
            budget: subscription.plan.aiBudgetCHF.toFixed(2),
            periodEnd: subscription.currentPeriodEnd
              ? formatDateTime(subscription.currentPeriodEnd.toISOString(), r.locale, false)
              : "–",
          }),
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

function subscriptionFacts(r: EmailRecipients, subscription: { mandateId: string }, plan: Plan) {
  return {
    ...common(r, subscription.mandateId),
    planName: r.locale === "de" ? plan.nameDe : plan.nameEn,
    price: plan.monthlyPriceCHF.toFixed(2),
  };
}

function common(r: EmailRecipients, mandateId: string) {
  return { locale: r.locale, mandateId, mandateName: r.mandateName };
}
