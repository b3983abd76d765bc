import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { releaseReservation } from "@/lib/billing-check/release-reservation";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { prisma } from "@/lib/db/client";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate } from "@/testing/test-factories";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { priceFromProviderCost } from "./provider-cost-markup";
import { recordUsage } from "./record-usage";
import { getTranslator } from "@/lib/i18n/get-translator";
import { BUSINESS_TIME_ZONE } from "@/lib/stats/business-calendar";
import { getStatistics, NO_FEATURE } from "@/lib/stats/get-statistics";
import { UsageInput } from "./usage-input";

function usage(mandateId: string, extra: Partial<UsageInput> = {}): UsageInput {
  return {
    mandateId,
    idempotencyKey: randomUUID(),
    amount: "0.1",
    provider: "anthropic",
    model: "claude-4-sonnet",
    featureCode: "chat",
    featureInstanceId: "chat-1",
    workflowId: "wf-1",
    processingTime: "0.5",
    bytesSent: 10,
    bytesReceived: 20,
    errorCount: 0,
    ...extra,
  };
}

async function reserve(mandateId: string, estimatedCost: string): Promise<string> {
  const check = await runBillingCheck({ mandateId, estimatedCost, reserve: true });
  if (!check.reservationId) throw new Error(`reservation refused: ${check.reason}`);
  return check.reservationId;
}

async function available(mandateId: string): Promise<string | null> {
  // requiredAmount of an oversized check = estimatedCost - available.
  const check = await runBillingCheck({ mandateId, estimatedCost: "1000000" });
  return check.requiredAmount;
}

describe("recordUsage", () => {
  it("books a DEBIT with every field, on the pool and the user's audit account", async () => {
    const m = await createTestMandate({ balance: "1" });
    // Two days back: within the occurredAt window (a week back by default).
    const occurredAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const booked = await recordUsage(usage(m.mandateId, { userId: m.memberId, processingTime: "1.234", occurredAt }));
    expect(booked).toMatchObject({
      mandateId: m.mandateId,
      amount: "0.100000",
      providerCost: null,
      balanceAfter: "0.900000",
      replayed: false,
    });
    expect(booked.auditTransactionId).toBeDefined();
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId } });
    expect(tx).toMatchObject({
      transactionType: "DEBIT",
      referenceType: "WORKFLOW",
      aicoreProvider: "anthropic",
      workflowId: "wf-1",
      createdByUserId: m.memberId,
      createdAt: new Date(occurredAt),
    });
    expect(tx.processingTime?.toFixed(3)).toBe("1.234");
  });

  it("books an event with only the required fields; statistics show it under the no-feature label", async () => {
    const m = await createTestMandate({ balance: "1" });
    const input = UsageInput.parse({
      mandateId: m.mandateId,
      idempotencyKey: randomUUID(),
      amount: "0.25",
      provider: "anthropic",
      model: "claude-4-sonnet",
    });
    const booked = await recordUsage(input);
    expect(booked).toMatchObject({ amount: "0.250000", balanceAfter: "0.750000", replayed: false });
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId } });
    expect(tx).toMatchObject({ featureCode: null, featureInstanceId: null, workflowId: null, bytesSent: null });

    const year = Number(new Intl.DateTimeFormat("en", { year: "numeric", timeZone: BUSINESS_TIME_ZONE }).format());
    // The roll-up queue is shared with every test file booking at once: read past any backlog.
    const stats = await getStatistics({
      mandateId: m.mandateId,
      period: "MONTH",
      year,
      pendingReadLimit: 1_000_000_000,
    });
    expect(stats.totals.byFeature).toEqual({ [NO_FEATURE]: "0.250000" });
    expect(getTranslator("en", "billing")(`features.${NO_FEATURE}`)).toBe("No feature");
    expect(getTranslator("de", "billing")(`features.${NO_FEATURE}`)).toBe("Ohne Funktion");
  });

  it("captures a reservation with a lower actual cost and frees the rest", async () => {
    const m = await createTestMandate({ balance: "10" });
    const reservationId = await reserve(m.mandateId, "4");
    expect(await available(m.mandateId)).toBe("999994.000000");
    const booked = await recordUsage(usage(m.mandateId, { reservationId, amount: "1.5" }));
    expect(booked.balanceAfter).toBe("8.500000");
    expect(await available(m.mandateId)).toBe("999991.500000");
    expect(await prisma.billingReservation.findUniqueOrThrow({ where: { id: reservationId } })).toMatchObject({
      status: "CAPTURED",
      transactionId: booked.transactionId,
    });
  });

  it("captures a reservation with a higher actual cost, even below zero", async () => {
    const m = await createTestMandate({ balance: "1" });
    const reservationId = await reserve(m.mandateId, "1");
    const booked = await recordUsage(usage(m.mandateId, { reservationId, amount: "2.25" }));
    expect(booked.balanceAfter).toBe("-1.250000");
    expect((await prisma.billingReservation.findUniqueOrThrow({ where: { id: reservationId } })).status).toBe(
      "CAPTURED",
    );
    expect(await reconcileAccount(m.poolAccountId)).toMatchObject({ balance: "-1.250000", sum: "-1.250000" });
  });

  it("books a second debit naming a captured reservation, noted, and captures nothing twice", async () => {
    const m = await createTestMandate({ balance: "10" });
    const reservationId = await reserve(m.mandateId, "1");
    const first = usage(m.mandateId, { reservationId, amount: "0.5", userId: m.ownerId });
    const booked = await recordUsage(first);
    const second = await recordUsage(usage(m.mandateId, { reservationId, amount: "0.5" }));
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: second.transactionId } });
    expect(tx.description).toContain(
      `[booked although: reservation ${reservationId} already captured by transaction ${booked.transactionId}]`,
    );
    expect(await prisma.billingReservation.findUniqueOrThrow({ where: { id: reservationId } })).toMatchObject({
      status: "CAPTURED",
      transactionId: booked.transactionId,
    });
    // The same usage again is a replay, not a second capture.
    const again = await recordUsage(first);
    expect(again.replayed).toBe(true);
    const pool = await reconcileAccount(m.poolAccountId);
    expect(pool).toEqual({ balance: "9.000000", sum: "9.000000", count: 3 });
  });

  it("books a debit whose reservation was released, noted, below zero if need be", async () => {
    const m = await createTestMandate({ balance: "1" });
    const reservationId = await reserve(m.mandateId, "1");
    await releaseReservation(m.mandateId, reservationId);
    const booked = await recordUsage(usage(m.mandateId, { reservationId, amount: "1.5", userId: m.memberId }));
    expect(booked.balanceAfter).toBe("-0.500000");
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId } });
    expect(tx.description).toContain(`[booked although: reservation ${reservationId} was released]`);
    expect((await prisma.billingReservation.findUniqueOrThrow({ where: { id: reservationId } })).status).toBe(
      "RELEASED",
    );
    // The pool below zero: the billing check refuses the next call.
    expect((await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "0" })).reason).toBe("INSUFFICIENT_BALANCE");
  });

  it("two concurrent captures of one reservation: all are booked, exactly one captures", async () => {
    const m = await createTestMandate({ balance: "10" });
    const reservationId = await reserve(m.mandateId, "1");
    const results = await Promise.all(
      Array.from({ length: 5 }, () => recordUsage(usage(m.mandateId, { reservationId, amount: "1" }))),
    );
    const hold = await prisma.billingReservation.findUniqueOrThrow({ where: { id: reservationId } });
    expect(hold.status).toBe("CAPTURED");
    expect(results.map((r) => r.transactionId)).toContain(hold.transactionId);
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("5.000000");
  });

  it("a reservation of another mandate or unknown is not captured; the debit is booked, noted", async () => {
    const a = await createTestMandate({ balance: "10" });
    const b = await createTestMandate({ balance: "10" });
    const reservationOfA = await reserve(a.mandateId, "1");
    const unknown = randomUUID();
    for (const reservationId of [reservationOfA, unknown]) {
      const booked = await recordUsage(usage(b.mandateId, { reservationId }));
      const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId } });
      expect(tx.description).toContain(`reservation ${reservationId} not found`);
    }
    expect((await reconcileAccount(b.poolAccountId)).count).toBe(3);
    expect((await prisma.billingReservation.findUniqueOrThrow({ where: { id: reservationOfA } })).status).toBe("OPEN");
  });

  it("attributes the debit to the user a reservation was held for, after they left", async () => {
    const m = await createTestMandate({ balance: "10" });
    const check = await runBillingCheck({
      mandateId: m.mandateId,
      userId: m.memberId,
      estimatedCost: "1",
      reserve: true,
    });
    await prisma.membership.deleteMany({ where: { mandateId: m.mandateId, userId: m.memberId } });
    const booked = await recordUsage(usage(m.mandateId, { reservationId: check.reservationId, userId: m.memberId }));
    expect(booked.auditTransactionId).toBeDefined();
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.auditTransactionId! } });
    expect(tx).toMatchObject({ createdByUserId: m.memberId });
    expect(tx.description).toContain("[booked although: user no longer a member of the mandate]");
    expect((await prisma.billingReservation.findUniqueOrThrow({ where: { id: check.reservationId! } })).status).toBe(
      "CAPTURED",
    );
  });

  it("captures an expired reservation: the call happened, its debit is not lost", async () => {
    const m = await createTestMandate({ balance: "1" });
    const reservation = await ownerPrisma.billingReservation.create({
      data: { mandateId: m.mandateId, accountId: m.poolAccountId, amount: "1", expiresAt: new Date(Date.now() - 1) },
    });
    const booked = await recordUsage(usage(m.mandateId, { reservationId: reservation.id }));
    expect(booked.balanceAfter).toBe("0.900000");
    expect((await prisma.billingReservation.findUniqueOrThrow({ where: { id: reservation.id } })).status).toBe(
      "CAPTURED",
    );
  });

  it("prices provider cost with the platform default markup of 50%", async () => {
    const m = await createTestMandate({ balance: "1" });
    const booked = await recordUsage(usage(m.mandateId, { amount: undefined, providerCost: "0.000010" }));
    expect(booked).toMatchObject({ amount: "0.000015", providerCost: "0.000010", balanceAfter: "0.999985" });
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId } });
    expect([tx.amount.toFixed(6), tx.providerCost?.toFixed(6)]).toEqual(["0.000015", "0.000010"]);
  });

  it("uses the mandate's own markup when set, and rounds half-even to 6 decimals", async () => {
    const m = await createTestMandate({ balance: "1" });
    await prisma.billingSettings.update({
      where: { mandateId: m.mandateId },
      data: { providerCostMarkupPercent: "20" },
    });
    const booked = await recordUsage(usage(m.mandateId, { amount: undefined, providerCost: "1.000005" }));
    // 1.000005 × 1.2 = 1.200006
    expect(booked.amount).toBe("1.200006");
    // 0.000005 × 1.5 = 0.0000075 → 0.000008 (half-even: 7 is odd); 0.000003 × 1.5 = 0.0000045 → 0.000004
    expect(priceFromProviderCost("0.000005", "50")).toBe("0.000008");
    expect(priceFromProviderCost("0.000003", "50")).toBe("0.000004");
    expect(priceFromProviderCost("2", "0")).toBe("2.000000");
  });

  describe("with PROVIDER_COST_MARKUP_PERCENT", () => {
    const saved = process.env.PROVIDER_COST_MARKUP_PERCENT;
    afterEach(() => {
      if (saved === undefined) delete process.env.PROVIDER_COST_MARKUP_PERCENT;
      else process.env.PROVIDER_COST_MARKUP_PERCENT = saved;
    });

    it("takes the platform default from the environment", async () => {
      process.env.PROVIDER_COST_MARKUP_PERCENT = "100";
      const m = await createTestMandate({ balance: "1" });
      expect((await recordUsage(usage(m.mandateId, { amount: undefined, providerCost: "0.25" }))).amount).toBe(
        "0.500000",
      );
    });
  });

  it("a retry priced by provider cost replays even after the markup changed", async () => {
    const m = await createTestMandate({ balance: "1" });
    const event = usage(m.mandateId, { amount: undefined, providerCost: "0.1" });
    const first = await recordUsage(event);
    await prisma.billingSettings.update({
      where: { mandateId: m.mandateId },
      data: { providerCostMarkupPercent: "10" },
    });
    const again = await recordUsage(event);
    expect(again).toEqual({ ...first, replayed: true });
    expect((await reconcileAccount(m.poolAccountId)).count).toBe(2);
  });

  it("a reused key with another payload is IDEMPOTENCY_CONFLICT", async () => {
    const m = await createTestMandate({ balance: "1" });
    const event = usage(m.mandateId);
    await recordUsage(event);
    await expect(recordUsage({ ...event, amount: "0.2" })).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
    await expect(recordUsage({ ...event, amount: undefined, providerCost: "0.1" })).rejects.toMatchObject({
      code: "IDEMPOTENCY_CONFLICT",
    });
  });

  it("needs exactly one of amount and providerCost", async () => {
    const m = await createTestMandate({ balance: "1" });
    await expect(recordUsage(usage(m.mandateId, { providerCost: "0.1" }))).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    await expect(recordUsage(usage(m.mandateId, { amount: undefined }))).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect((await reconcileAccount(m.poolAccountId)).count).toBe(1);
  });
});
