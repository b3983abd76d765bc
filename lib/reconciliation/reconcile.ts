import { prisma } from "@/lib/db/client";
import { isUuid } from "@/lib/ids/uuid";
import { stripeClient } from "@/lib/stripe/stripe-client";
import { auditDrifts, auditSumMismatches, readAuditUsageSums } from "./audit-drifts";
import type { Drift, MandateReconciliation, ReconciliationReport } from "./drift";
import {
  balanceDrifts,
  movementDrifts,
  paymentCreditDrifts,
  readAccountSums,
  readPaymentCredits,
  readPaymentMovements,
  readUnclaimedPaymentTransactions,
  unclaimedPaymentDrifts,
  type MandateDrift,
  type MandateScope,
} from "./ledger-drifts";
import { stripeDrifts } from "./stripe-drifts";

export interface ReconcileOptions {
  /** Only these mandates (ids that cannot name a mandate are ignored); every mandate when absent. */
  mandateIds?: string[];
  /** Compare with Stripe's lists too; defaults to whether STRIPE_SECRET_KEY is set. */
  stripe?: boolean;
}

/**
 * Reconciles the ledger, per mandate: (a) every account's balance equals the sum of its
 * transactions; (b) every paid payment has its one PAYMENT credit and every PAYMENT-referenced
 * transaction its payment, refund or dispute; (c) with Stripe, every succeeded PaymentIntent,
 * refund and dispute movement of ours is booked and every paid payment succeeded there; (d) the
 * user audit accounts add up to the pool's usage. Read-only: it reports, it never repairs (a
 * correction is a booking someone decides on).
 */
export async function reconcile(opts: ReconcileOptions = {}): Promise<ReconciliationReport> {
  const startedAt = new Date();
  const scope: MandateScope = opts.mandateIds ? opts.mandateIds.filter(isUuid) : null;
  const mandates = await prisma.mandate.findMany({
    where: scope === null ? {} : { id: { in: scope } },
    select: { id: true, name: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });

  const [accounts, credits, movements, unclaimed, auditSums] = await Promise.all([
    readAccountSums(scope),
    readPaymentCredits(scope),
    readPaymentMovements(scope),
    readUnclaimedPaymentTransactions(scope),
    readAuditUsageSums(scope),
  ]);
  const found: MandateDrift[] = [
    ...balanceDrifts(accounts),
    ...paymentCreditDrifts(credits),
    ...movementDrifts(movements),
    ...unclaimedPaymentDrifts(unclaimed),
    ...(await auditDrifts(auditSumMismatches(auditSums))),
  ];

  let stripe: ReconciliationReport["stripe"];
  let unassigned: Drift[] = [];
  if (opts.stripe ?? !!process.env.STRIPE_SECRET_KEY) {
    const server = process.env.STRIPE_API_URL ?? "api.stripe.com";
    try {
      const compared = await stripeDrifts(stripeClient(), scope);
      found.push(...compared.drifts);
      unassigned = compared.unassigned;
      stripe = { checked: true, server };
    } catch (err) {
      // The ledger's own checks still stand; the report says the Stripe part could not be done.
      stripe = {
        checked: false,
        failed: true,
        reason: `${server}: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  } else {
    stripe = { checked: false, reason: "no Stripe configured (STRIPE_SECRET_KEY)" };
  }

  const byMandate = new Map<string, MandateReconciliation>(
    mandates.map((m) => [m.id, { mandateId: m.id, name: m.name, drifts: [], checked: { accounts: 0, payments: 0 } }]),
  );
  for (const account of accounts) {
    const entry = byMandate.get(account.mandateId);
    if (entry) entry.checked.accounts += 1;
  }
  for (const payment of credits) {
    const entry = byMandate.get(payment.mandate_id);
    if (entry) entry.checked.payments += 1;
  }
  for (const { mandateId, drift } of found) byMandate.get(mandateId)?.drifts.push(drift);

  const result = [...byMandate.values()];
  return {
    startedAt,
    stripe,
    mandates: result,
    unassigned,
    driftCount: result.reduce((n, m) => n + m.drifts.length, unassigned.length),
  };
}
