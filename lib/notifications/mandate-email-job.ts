import { z } from "zod";

/**
 * The payload of a "mandate-email" job: which e-mail, about which booked fact. Only ids: the job
 * reads the fact when it runs (amounts, card, recipients, language), and the e-mail's dedupe key
 * derives from the fact, so a job run twice sends once.
 */
export const mandateEmailJob = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("top-up-receipt"), paymentId: z.uuid() }),
  z.object({ kind: z.literal("auto-recharge-succeeded"), paymentId: z.uuid() }),
  /** `switchedOffAfter`: this failure, the n-th in a row, switched auto-recharge off. */
  z.object({
    kind: z.literal("auto-recharge-failed"),
    paymentId: z.uuid(),
    switchedOffAfter: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal("refund-booked"), refundId: z.uuid() }),
  z.object({ kind: z.literal("dispute-funds-withdrawn"), disputeId: z.uuid() }),
  z.object({ kind: z.literal("dispute-funds-reinstated"), disputeId: z.uuid() }),
  /** A plan's paid period began: the first of its subscription, or a renewal. */
  z.object({ kind: z.literal("subscription-started"), creditId: z.uuid() }),
  z.object({ kind: z.literal("subscription-renewed"), creditId: z.uuid() }),
  /** A renewal could not be charged (the subscription went PAST_DUE); once per invoice. */
  z.object({ kind: z.literal("subscription-payment-failed"), subscriptionId: z.uuid(), invoiceId: z.string().min(1) }),
  /** A subscription ended; not sent when another plan runs by the time the job runs (a plan change). */
  z.object({ kind: z.literal("subscription-expired"), subscriptionId: z.uuid() }),
  /** `at`: the notice's time as recorded (billing_settings.pool_exhausted_notified_at). */
  z.object({ kind: z.literal("pool-exhausted"), mandateId: z.uuid(), at: z.iso.datetime({ offset: true }) }),
]);

export type MandateEmailJob = z.infer<typeof mandateEmailJob>;
