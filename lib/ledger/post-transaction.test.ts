import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, setAccountEnabled } from "@/testing/test-factories";
import { reconcileAccount } from "./accounts";
import { bookUsage } from "./book-usage";
import { adjust, credit, debit } from "./post-transaction";

const key = () => randomUUID();

describe("credit, debit, adjust", () => {
  it("moves the balance and writes one transaction per booking", async () => {
    const m = await createTestMandate();
    const c = await credit({
      accountId: m.poolAccountId,
      amount: "100.5",
      idempotencyKey: key(),
      description: "top-up",
      referenceType: "SYSTEM",
    });
    expect(c).toMatchObject({
      transactionType: "CREDIT",
      amount: "100.500000",
      balanceAfter: "100.500000",
      replayed: false,
    });
    const d = await debit({
      accountId: m.poolAccountId,
      amount: "0.000012",
      idempotencyKey: key(),
      description: "storage",
    });
    expect(d.balanceAfter).toBe("100.499988");
    const a = await adjust({
      accountId: m.poolAccountId,
      amount: "-0.499988",
      idempotencyKey: key(),
      reason: "goodwill reversal",
      createdByUserId: m.ownerId,
    });
    expect(a.balanceAfter).toBe("100.000000");
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "100.000000", sum: "100.000000", count: 3 });
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: a.transactionId } });
    expect(tx).toMatchObject({ referenceType: "ADMIN", createdByUserId: m.ownerId, description: "goodwill reversal" });
  });

  it("a repeated idempotency key returns the first booking and books nothing new", async () => {
    const m = await createTestMandate();
    const k = key();
    const first = await credit({ accountId: m.poolAccountId, amount: "10", idempotencyKey: k, description: "top-up" });
    const again = await credit({ accountId: m.poolAccountId, amount: "10", idempotencyKey: k, description: "top-up" });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "10.000000", sum: "10.000000", count: 1 });
  });

  it("a reused key with a different payload is an IDEMPOTENCY_CONFLICT and books nothing", async () => {
    const m = await createTestMandate();
    const k = key();
    await credit({ accountId: m.poolAccountId, amount: "10", idempotencyKey: k, description: "top-up" });
    await expect(
      credit({ accountId: m.poolAccountId, amount: "11", idempotencyKey: k, description: "top-up" }),
    ).rejects.toMatchObject({
      code: "IDEMPOTENCY_CONFLICT",
    });
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("10.000000");
  });

  it.each([["0"], ["-1"], ["1.0000001"], ["NaN"], ["1e3"], ["10000000000"], [""], [" 1"]])(
    "rejects the amount %j and books nothing",
    async (amount) => {
      const m = await createTestMandate();
      await expect(
        credit({ accountId: m.poolAccountId, amount, idempotencyKey: key(), description: "x" }),
      ).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
      });
      expect((await reconcileAccount(m.poolAccountId)).count).toBe(0);
    },
  );

  it("adjustments need a reason and may be negative", async () => {
    const m = await createTestMandate({ balance: "5" });
    await expect(
      adjust({
        accountId: m.poolAccountId,
        amount: "-1",
        idempotencyKey: key(),
        reason: " ",
        createdByUserId: m.ownerId,
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const a = await adjust({
      accountId: m.poolAccountId,
      amount: "-1",
      idempotencyKey: key(),
      reason: "refund",
      createdByUserId: m.ownerId,
    });
    expect(a.balanceAfter).toBe("4.000000");
  });

  it("an unknown account is NOT_FOUND", async () => {
    await expect(
      credit({ accountId: randomUUID(), amount: "1", idempotencyKey: key(), description: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("bookUsage", () => {
  it("debits the pool and the user's audit account (created on first use) atomically", async () => {
    const m = await createTestMandate({ balance: "1" });
    const booked = await bookUsage({
      mandateId: m.mandateId,
      userId: m.memberId,
      amount: "0.000012",
      providerCost: "0.000008",
      idempotencyKey: key(),
      provider: "anthropic",
      model: "claude-4-sonnet",
      featureCode: "chat",
      featureInstanceId: "fi-1",
      workflowId: "wf-1",
      processingTime: "1.234",
      bytesSent: 2048,
      bytesReceived: 4096,
      errorCount: 0,
    });
    expect(booked.pool.balanceAfter).toBe("0.999988");
    expect(booked.audit?.balanceAfter).toBe("-0.000012");
    const audit = await prisma.billingAccount.findFirstOrThrow({
      where: { mandateId: m.mandateId, userId: m.memberId },
    });
    expect(audit.id).toBe(booked.audit?.accountId);
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.pool.transactionId } });
    expect(tx).toMatchObject({
      transactionType: "DEBIT",
      referenceType: "WORKFLOW",
      aicoreProvider: "anthropic",
      aicoreModel: "claude-4-sonnet",
      featureCode: "chat",
      featureInstanceId: "fi-1",
      workflowId: "wf-1",
      createdByUserId: m.memberId,
      bytesSent: 2048n,
      bytesReceived: 4096n,
      errorCount: 0,
    });
    expect(tx.providerCost?.toFixed(6)).toBe("0.000008");
    expect(tx.processingTime?.toFixed(3)).toBe("1.234");
  });

  it("records usage that takes the pool below zero", async () => {
    const m = await createTestMandate({ balance: "0.5" });
    const booked = await bookUsage({ mandateId: m.mandateId, amount: "2", idempotencyKey: key() });
    expect(booked.pool.balanceAfter).toBe("-1.500000");
    expect(booked.audit).toBeNull();
  });

  it("a retried usage event books once, on both accounts", async () => {
    const m = await createTestMandate({ balance: "1" });
    const event = {
      mandateId: m.mandateId,
      userId: m.ownerId,
      amount: "0.25",
      idempotencyKey: key(),
      provider: "openai",
    };
    const first = await bookUsage(event);
    const again = await bookUsage(event);
    expect(again.replayed).toBe(true);
    expect(again.pool.transactionId).toBe(first.pool.transactionId);
    expect(again.audit?.transactionId).toBe(first.audit?.transactionId);
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("0.750000");
    expect(await reconcileAccount(first.audit!.accountId)).toEqual({
      balance: "-0.250000",
      sum: "-0.250000",
      count: 1,
    });
  });

  it("a disabled pool or audit account still books the debit, noted, and answers a replay", async () => {
    const m = await createTestMandate({ balance: "1" });
    const event = { mandateId: m.mandateId, userId: m.memberId, amount: "0.1", idempotencyKey: key() };
    const first = await bookUsage(event);
    await setAccountEnabled(m.mandateId, m.poolAccountId, false);
    await setAccountEnabled(m.mandateId, first.audit!.accountId, false);
    const late = await bookUsage({ ...event, idempotencyKey: key() });
    expect(late.replayed).toBe(false);
    expect(late.audit?.accountId).toBe(first.audit!.accountId);
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: late.pool.transactionId } });
    expect(tx.description).toContain("[booked although: pool account disabled; user account disabled]");
    expect(await bookUsage(event)).toMatchObject({ replayed: true, pool: { transactionId: first.pool.transactionId } });
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("0.800000");
    expect(await reconcileAccount(first.audit!.accountId)).toMatchObject({ balance: "-0.200000", count: 2 });
  });

  it("books the debit of a user who left on their audit account, and replays after they left", async () => {
    const m = await createTestMandate({ balance: "1" });
    const event = { mandateId: m.mandateId, userId: m.memberId, amount: "0.1", idempotencyKey: key() };
    const first = await bookUsage(event);
    await prisma.membership.deleteMany({ where: { mandateId: m.mandateId, userId: m.memberId } });
    const again = await bookUsage(event);
    expect(again).toEqual({
      pool: { ...first.pool, replayed: true },
      audit: { ...first.audit!, replayed: true },
      replayed: true,
    });
    const late = await bookUsage({ ...event, idempotencyKey: key() });
    expect(late.audit?.accountId).toBe(first.audit!.accountId);
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: late.audit!.transactionId } });
    expect(tx).toMatchObject({ createdByUserId: m.memberId });
    expect(tx.description).toContain("[booked although: user no longer a member of the mandate]");
    expect(await reconcileAccount(first.audit!.accountId)).toMatchObject({ balance: "-0.200000", count: 2 });
  });

  it("books a stranger's debit on the pool only, not attributed, and noted", async () => {
    const m = await createTestMandate({ balance: "1" });
    const other = await createTestMandate();
    const booked = await bookUsage({
      mandateId: m.mandateId,
      userId: other.ownerId,
      amount: "0.1",
      idempotencyKey: key(),
    });
    expect(booked.audit).toBeNull();
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.pool.transactionId } });
    expect(tx.createdByUserId).toBeNull();
    expect(tx.description).toContain(`user ${other.ownerId} is not a member of the mandate: not attributed`);
    expect(await prisma.billingAccount.count({ where: { mandateId: m.mandateId, userId: other.ownerId } })).toBe(0);
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("0.900000");
  });

  it("an unknown mandate is NOT_FOUND", async () => {
    await expect(bookUsage({ mandateId: randomUUID(), amount: "0.1", idempotencyKey: key() })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
