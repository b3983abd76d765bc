import { prisma } from "@/lib/db/client";
import { findEmailRecipients } from "@/lib/email/find-email-recipients";
import { lowBalanceWarningEmail } from "@/lib/email/messages/low-balance-warning";
import { sendEmail } from "@/lib/email/send-email";
import { toMoneyString } from "@/lib/money/money";
import { loadRunway } from "@/lib/runway/get-runway";

export type WarningOutcome = "SENT" | "NOT_WANTED" | "NO_RECIPIENT";

/**
 * The "low-balance-warning" job: one e-mail per threshold crossing. The crossing itself is the
 * "once": the database records one each time a booking takes the pool from at or above the
 * threshold to below it, so the warning re-arms only when the balance has been back above. A job
 * run again sends nothing new (the e-mail's dedupe key is the crossing's id). The e-mail carries
 * the runway forecast (lib/runway), so the reader learns how long the rest lasts.
 */
export async function sendLowBalanceWarning(crossingId: string): Promise<WarningOutcome | "GONE"> {
  const crossing = await prisma.poolThresholdCrossing.findUnique({
    where: { id: crossingId },
    include: { mandate: { select: { settings: { select: { notifyOnWarning: true } } } } },
  });
  if (!crossing) return "GONE";
  if (crossing.warningOutcome) return crossing.warningOutcome as WarningOutcome;

  let outcome: WarningOutcome = "SENT";
  const recipients = await findEmailRecipients(crossing.mandateId);
  if (crossing.mandate.settings?.notifyOnWarning === false) outcome = "NOT_WANTED";
  else if (!recipients || recipients.to.length === 0) outcome = "NO_RECIPIENT";
  else {
    await sendEmail({
      message: lowBalanceWarningEmail({
        locale: recipients.locale,
        mandateId: crossing.mandateId,
        mandateName: recipients.mandateName,
        balance: toMoneyString(crossing.balanceAfter),
        threshold: toMoneyString(crossing.warningThreshold),
        // The forecast as the overview shows it now, moments after the crossing.
        forecast: await loadRunway(crossing.mandateId),
      }),
      to: recipients.to,
      mandateId: crossing.mandateId,
      dedupeKey: `low-balance-warning:${crossing.id}`,
    });
  }
  await prisma.$transaction([
    prisma.poolThresholdCrossing.update({ where: { id: crossing.id }, data: { warningOutcome: outcome } }),
    ...(outcome === "SENT"
      ? [prisma.billingAccount.update({ where: { id: crossing.accountId }, data: { lastWarningAt: new Date() } })]
      : []),
  ]);
  return outcome;
}
