import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, createTestUser } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { bookUsageBatch } from "@/lib/ledger/book-usage";
import { bookManualTransaction, type ManualBookingOptions } from "./book-manual-transaction";
import { listManualBookings } from "./list-manual-bookings";
import { ManualBookingInput } from "./manual-booking-schema";

async function setup(balance?: string) {
  const mandate = await createTestMandate({ balance });
  const adminId = await createTestUser("platform");
  const booking = (opts: Partial<ManualBookingOptions> = {}): ManualBookingOptions => ({
    mandateId: mandate.mandateId,
    type: "CREDIT",
    amount: "12.345678",
    reason: "Goodwill credit for the outage",
    idempotencyKey: randomUUID(),
    createdByUserId: adminId,
    ...opts,
  });
  return { mandate, adminId, booking };
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (err) {
    return isDomainError(err) ? err.code : String(err);
  }
}

describe("bookManualTransaction", () => {
  it("credits the pool and records the admin, the reason and reference type ADMIN", async () => {
    const { mandate, adminId, booking } = await setup();
    const booked = await bookManualTransaction(booking());
    expect(booked).toMatchObject({ transactionType: "CREDIT", amount: "12.345678", balanceAfter: "12.345678" });
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId } });
    expect(tx).toMatchObject({
      accountId: mandate.poolAccountId,
      mandateId: mandate.mandateId,
      transactionType: "CREDIT",
      referenceType: "ADMIN",
      createdByUserId: adminId,
      description: "Goodwill credit for the outage",
    });
    expect(await reconcileAccount(mandate.poolAccountId)).toEqual({
      balance: "12.345678",
      sum: "12.345678",
      count: 1,
    });
  });

  it("books a negative adjustment with its reason and the admin", async () => {
    const { mandate, adminId, booking } = await setup("50");
    const booked = await bookManualTransaction(
      booking({ type: "ADJUSTMENT", amount: "-7.5", reason: "Refund of a double charge" }),
    );
    expect(booked).toMatchObject({ transactionType: "ADJUSTMENT", amount: "-7.500000", balanceAfter: "42.500000" });
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId } });
    expect(tx).toMatchObject({ createdByUserId: adminId, description: "Refund of a double charge" });
    expect((await reconcileAccount(mandate.poolAccountId)).balance).toBe("42.500000");
  });

  it("a double submit of the same form books once, also when both arrive together", async () => {
    const { mandate, booking } = await setup();
    // What the form sends twice: the same rendering, hence the same idempotency key.
    const form = ManualBookingInput.parse({
      type: "CREDIT",
      amount: "5",
      reason: "Welcome credit",
      idempotencyKey: randomUUID(),
    });
    const same = booking(form);
    const [a, b] = await Promise.all([bookManualTransaction(same), bookManualTransaction(same)]);
    const again = await bookManualTransaction(same);
    expect([a.transactionId, b.transactionId, again.transactionId]).toEqual([
      a.transactionId,
      a.transactionId,
      a.transactionId,
    ]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(again).toMatchObject({ replayed: true, balanceAfter: "5.000000" });
    expect(await reconcileAccount(mandate.poolAccountId)).toEqual({ balance: "5.000000", sum: "5.000000", count: 1 });
  });

  it("a new rendering of the form (new key) books again", async () => {
    const { mandate, booking } = await setup();
    await bookManualTransaction(booking({ amount: "1" }));
    await bookManualTransaction(booking({ amount: "1" }));
    expect(await reconcileAccount(mandate.poolAccountId)).toMatchObject({ balance: "2.000000", count: 2 });
  });

  it.each<[Partial<ManualBookingOptions>, string]>([
    [{ amount: "0" }, "zero"],
    [{ amount: "-1" }, "negative credit"],
    [{ amount: "1.1234567" }, "seven decimals"],
    [{ amount: "1e3" }, "exponent"],
    [{ amount: "NaN" }, "NaN"],
    [{ amount: "100000.01" }, "over the bound"],
    [{ type: "ADJUSTMENT", amount: "-0.0" }, "zero adjustment"],
    [{ reason: "  " }, "blank reason"],
  ])("refuses %j (%s) and books nothing", async (input, _why) => {
    const { mandate, booking } = await setup();
    expect(await codeOf(bookManualTransaction(booking(input)))).toBe("VALIDATION_FAILED");
    expect((await reconcileAccount(mandate.poolAccountId)).count).toBe(0);
  });

  it("an unknown or malformed mandate id is NOT_FOUND", async () => {
    const { booking } = await setup();
    expect(await codeOf(bookManualTransaction(booking({ mandateId: randomUUID() })))).toBe("NOT_FOUND");
    expect(await codeOf(bookManualTransaction(booking({ mandateId: "../x" })))).toBe("NOT_FOUND");
  });
});

describe("listManualBookings", () => {
  it("lists the mandate's manual bookings newest first, with who and why, and nothing else", async () => {
    // The factory's initial balance is a SYSTEM credit, not a manual booking.
    const { mandate, adminId, booking } = await setup("100");
    const other = await setup();
    await bookManualTransaction(booking({ amount: "10", reason: "First credit" }));
    await bookManualTransaction(booking({ type: "ADJUSTMENT", amount: "-2.5", reason: "Correction" }));
    await bookManualTransaction(other.booking({ reason: "Other mandate" }));

    const rows = await listManualBookings(mandate.mandateId);
    const admin = await prisma.user.findUniqueOrThrow({ where: { id: adminId } });
    expect(rows).toEqual([
      expect.objectContaining({
        type: "ADJUSTMENT",
        amount: "-2.500000",
        balanceAfter: "107.500000",
        reason: "Correction",
        currency: "CHF",
        createdBy: { userId: adminId, name: admin.name, email: admin.email },
      }),
      expect.objectContaining({ type: "CREDIT", amount: "10.000000", reason: "First credit" }),
    ]);
    expect(await listManualBookings(mandate.mandateId, 1)).toHaveLength(1);
  });

  it("lists only ADMIN bookings, none of the mandate's usage debits", async () => {
    const { mandate, booking } = await setup("1000");
    await bookManualTransaction(booking({ reason: "Before the usage" }));
    const outcomes = await bookUsageBatch(
      Array.from({ length: 1_000 }, (_, i) => ({
        mandateId: mandate.mandateId,
        amount: "0.01",
        idempotencyKey: `manual-list-${randomUUID()}-${i}`,
        provider: "anthropic",
      })),
    );
    expect(outcomes.every((o) => o.status === "booked")).toBe(true);
    expect(await listManualBookings(mandate.mandateId)).toEqual([
      expect.objectContaining({ reason: "Before the usage" }),
    ]);
  });
});
