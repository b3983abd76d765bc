import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { bookUsage } from "@/lib/ledger/book-usage";
import { adjust, credit, debit } from "@/lib/ledger/post-transaction";
import { startTopUp } from "@/lib/payments/start-top-up";
import { startAppStripe, type TestStripe } from "@/testing/stripe-test-server";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { auditSumMismatches, readAuditUsageSums } from "./audit-drifts";
import type { DriftKind } from "./drift";
import { balanceDrifts, readAccountSums } from "./ledger-drifts";
import { reconcile } from "./reconcile";
import { PLANTED_DRIFT_PREFIX } from "@/testing/planted-drift";

/**
 * Reconciliation against real PostgreSQL and the offline Stripe, whose signed webhooks reach the
 * app's route handler in-process. Mandates that keep a drift on purpose are named with
 * PLANTED_DRIFT_PREFIX, so the suite's closing reconciliation (testing/test-global-setup.ts)
 * leaves them out; every other mandate of the run must reconcile.
 */

let stripe: TestStripe;

beforeAll(async () => {
  stripe = await startAppStripe();
});
afterAll(() => stripe.close());
beforeEach(() => stripe.server.setDeliveryMode("normal"));

async function plantedMandate(opts: { balance?: string } = {}): Promise<TestMandate> {
  const m = await createTestMandate(opts);
  await prisma.mandate.update({
    where: { id: m.mandateId },
    data: { name: `${PLANTED_DRIFT_PREFIX} ${randomUUID().slice(0, 8)}` },
  });
  return m;
}

/** A top-up paid on the test checkout page; with deliveries held, no webhook has arrived yet. */
async function paidTopUp(m: TestMandate, amount: string) {
  const started = await startTopUp({
    mandateId: m.mandateId,
    userId: m.ownerId,
    amount,
    saveCard: false,
    origin: "http://app.test",
  });
  const sessionId = new URL(started.checkoutUrl).pathname.split("/").pop()!;
  const paid = stripe.server.payCheckoutSession(sessionId, {});
  if (paid.outcome !== "paid") throw new Error(`checkout not paid: ${paid.outcome}`);
  await stripe.server.waitForDeliveries();
  return prisma.payment.findUniqueOrThrow({ where: { id: started.paymentId } });
}

async function driftsOf(m: TestMandate, opts: { stripe: boolean }) {
  const report = await reconcile({ mandateIds: [m.mandateId], stripe: opts.stripe });
  expect(report.stripe.checked).toBe(opts.stripe);
  expect(report.mandates.map((r) => r.mandateId)).toEqual([m.mandateId]);
  return report.mandates[0]!.drifts;
}

function kinds(drifts: { kind: DriftKind }[]): DriftKind[] {
  return drifts.map((d) => d.kind).sort();
}

async function usage(m: TestMandate, userId: string | null, amount: string) {
  return bookUsage({ mandateId: m.mandateId, userId, idempotencyKey: randomUUID(), amount, provider: "openai" });
}

describe("reconciliation", () => {
  it("reports no drift for top-ups, a refund, a lost and a won dispute, and attributed usage", async () => {
    const m = await createTestMandate({ balance: "5" });
    await usage(m, m.memberId, "1.250000");
    await usage(m, m.adminId, "0.000012");
    await usage(m, null, "0.5");
    const refunded = await paidTopUp(m, "100");
    stripe.server.refund({ paymentIntent: refunded.stripePaymentIntentId!, amount: 2000 });
    const lost = await paidTopUp(m, "50");
    const lostDispute = stripe.server.openDispute(lost.stripeChargeId!);
    stripe.server.loseDispute(lostDispute.id);
    const won = await paidTopUp(m, "30");
    const wonDispute = stripe.server.openDispute(won.stripeChargeId!, { amount: 1000 });
    stripe.server.winDispute(wonDispute.id);
    await stripe.server.waitForDeliveries();

    // What there is to reconcile was booked: 5 + 100 - 20 + 50 - 50 + 30 - 10 + 10 - usage.
    expect(await prisma.paymentRefund.count({ where: { paymentId: refunded.id } })).toBe(1);
    expect(
      await prisma.paymentDispute.findMany({
        where: { paymentId: { in: [lost.id, won.id] } },
        select: { withdrawnTransactionId: true, reinstatedTransactionId: true },
        orderBy: { amount: "desc" },
      }),
    ).toEqual([
      { withdrawnTransactionId: expect.any(String), reinstatedTransactionId: null },
      { withdrawnTransactionId: expect.any(String), reinstatedTransactionId: expect.any(String) },
    ]);
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("113.249988");

    const report = await reconcile({ mandateIds: [m.mandateId], stripe: true });
    expect(report.stripe).toEqual({ checked: true, server: stripe.apiUrl });
    expect(report.mandates).toEqual([
      { mandateId: m.mandateId, name: expect.any(String), drifts: [], checked: { accounts: 3, payments: 3 } },
    ]);
    expect(report.driftCount).toBe(0);
  });

  it("finds a PAYMENT credit that belongs to no payment", async () => {
    const m = await plantedMandate();
    const planted = await credit({
      accountId: m.poolAccountId,
      amount: "42",
      idempotencyKey: `planted-${randomUUID()}`,
      description: "credit claiming a payment",
      referenceType: "PAYMENT",
      referenceId: "pi_planted",
    });

    const drifts = await driftsOf(m, { stripe: false });
    expect(drifts).toEqual([
      {
        kind: "PAYMENT_CREDIT_WITHOUT_PAYMENT",
        message: expect.stringContaining(planted.transactionId),
        rows: [
          {
            source: "billing_transaction",
            id: planted.transactionId,
            amount: "42.000000",
            note: expect.stringContaining("pi_planted"),
          },
        ],
      },
    ]);
  });

  it("finds a PaymentIntent that succeeded at Stripe with no credit booked, and none once the webhook arrives", async () => {
    const m = await plantedMandate();
    stripe.server.setDeliveryMode("hold");
    const payment = await paidTopUp(m, "75");
    expect(payment.status).toBe("PENDING");
    const intent = stripe.server.events("payment_intent.succeeded").find((e) => {
      const object = e.data.object as { metadata?: Record<string, string> };
      return object.metadata?.paymentId === payment.id;
    });
    const intentId = (intent?.data.object as { id: string } | undefined)?.id;
    expect(intentId).toMatch(/^pi_/);

    // The ledger alone sees nothing wrong: a pending payment owes no credit.
    expect(await driftsOf(m, { stripe: false })).toEqual([]);
    const drifts = await driftsOf(m, { stripe: true });
    expect(drifts).toEqual([
      {
        kind: "STRIPE_PAYMENT_NOT_BOOKED",
        message: expect.stringContaining(`${intentId}`),
        rows: [
          { source: "stripe_payment_intent", id: intentId, amount: "75.00", note: "status succeeded" },
          { source: "payment", id: payment.id, amount: "75.000000", note: "status PENDING" },
        ],
      },
    ]);

    stripe.server.setDeliveryMode("normal");
    stripe.server.releaseHeld({ order: "asIs" });
    await stripe.server.waitForDeliveries();
    expect(await driftsOf(m, { stripe: true })).toEqual([]);
  });

  it("finds a refund made at Stripe that was not booked, and none once it is", async () => {
    const m = await plantedMandate();
    const payment = await paidTopUp(m, "60");
    expect(payment.status).toBe("PAID");
    stripe.server.setDeliveryMode("hold");
    const refund = stripe.server.refund({ paymentIntent: payment.stripePaymentIntentId!, amount: 1550 });

    expect(await driftsOf(m, { stripe: false })).toEqual([]);
    expect(await driftsOf(m, { stripe: true })).toEqual([
      {
        kind: "STRIPE_REFUND_NOT_BOOKED",
        message: expect.stringContaining(refund.id),
        rows: [
          { source: "stripe_refund", id: refund.id, amount: "15.50", note: `status ${refund.status}` },
          { source: "payment", id: payment.id, amount: "60.000000" },
        ],
      },
    ]);

    stripe.server.setDeliveryMode("normal");
    stripe.server.releaseHeld({ order: "asIs" });
    await stripe.server.waitForDeliveries();
    expect(await driftsOf(m, { stripe: true })).toEqual([]);
  });

  it("finds a refund row whose transaction is missing, and a usage debit on an audit account alone", async () => {
    const m = await plantedMandate({ balance: "10" });
    const payment = await paidTopUp(m, "20");
    const missingTx = randomUUID();
    const row = await prisma.paymentRefund.create({
      data: {
        paymentId: payment.id,
        stripeRefundId: `re_planted_${randomUUID()}`,
        amount: "5",
        transactionId: missingTx,
      },
    });
    const { audit } = await usage(m, m.memberId, "2");
    // Booked on the audit account only, as no product path does: the pool has no twin for it.
    const lone = await debit({
      accountId: audit!.accountId,
      amount: "0.75",
      idempotencyKey: `planted-${randomUUID()}`,
      description: "audit debit without pool debit",
      referenceType: "WORKFLOW",
    });

    const drifts = await driftsOf(m, { stripe: false });
    expect(kinds(drifts)).toEqual(["AUDIT_USAGE_MISMATCH", "REFUND_TRANSACTION_MISMATCH"]);
    const refundDrift = drifts.find((d) => d.kind === "REFUND_TRANSACTION_MISMATCH")!;
    expect(refundDrift.rows).toEqual([
      { source: "payment_refund", id: row.id, amount: "5.000000", note: row.stripeRefundId },
      { source: "payment", id: payment.id },
      { source: "billing_transaction", id: missingTx, note: "missing" },
    ]);
    const auditDrift = drifts.find((d) => d.kind === "AUDIT_USAGE_MISMATCH")!;
    expect(auditDrift.message).toContain("2.000000 (1)");
    expect(auditDrift.message).toContain("2.750000 (2)");
    expect(auditDrift.rows).toEqual([
      { source: "billing_account", id: audit!.accountId, amount: "2.750000", note: `user ${m.memberId}` },
      {
        source: "billing_transaction",
        id: lone.transactionId,
        amount: "0.750000",
        note: expect.stringContaining("audit row without pool debit"),
      },
    ]);
  });

  it("reads each account's balance and the sum of its transactions as reconcileAccount does", async () => {
    const m = await createTestMandate({ balance: "10" });
    await usage(m, m.memberId, "1.000001");
    await usage(m, m.ownerId, "2.5");
    await adjust({
      accountId: m.poolAccountId,
      amount: "-0.000001",
      idempotencyKey: randomUUID(),
      reason: "correction",
      createdByUserId: m.adminId,
    });

    const sums = await readAccountSums([m.mandateId]);
    expect(sums).toHaveLength(3);
    for (const account of sums) {
      const { balance, sum, count } = await reconcileAccount(account.accountId);
      expect(account).toMatchObject({ mandateId: m.mandateId, balance, sum, count });
    }
    expect(sums.find((a) => a.userId === null)).toMatchObject({ balance: "6.499998", sum: "6.499998", count: 4 });
    expect(balanceDrifts(sums)).toEqual([]);
    const audit = await readAuditUsageSums([m.mandateId]);
    expect(audit.map((a) => [a.userId, a.poolTotal, a.auditTotal]).sort()).toEqual(
      [
        [m.memberId, "1.000001", "1.000001"],
        [m.ownerId, "2.500000", "2.500000"],
      ].sort(),
    );
    expect(auditSumMismatches(audit)).toEqual([]);

    // The ledger lets nobody make a balance disagree with its transactions, so the comparison
    // is shown one: the same account read with a balance one millionth off.
    const pool = sums.find((a) => a.userId === null)!;
    expect(balanceDrifts([{ ...pool, balance: "6.499999" }])).toEqual([
      {
        mandateId: m.mandateId,
        drift: {
          kind: "BALANCE_MISMATCH",
          message: expect.stringContaining("balance 6.499999, its 4 transactions sum to 6.499998"),
          rows: [
            {
              source: "billing_account",
              id: m.poolAccountId,
              amount: "6.499999",
              note: "transactions sum to 6.499998",
            },
          ],
        },
      },
    ]);
  });
});
