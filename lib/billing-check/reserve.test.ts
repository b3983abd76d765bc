import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// Enough connections for the concurrent checks to really overlap in PostgreSQL.
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "24";
});

import { prisma } from "@/lib/db/client";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate, createTestUser, setAccountEnabled } from "@/testing/test-factories";
import { bookUsage } from "@/lib/ledger/book-usage";
import { waitForExpiry } from "@/testing/wait-until";
import { expireReservations } from "./reservation-expiry";
import { releaseReservation } from "./release-reservation";
import { runBillingCheck } from "./run-billing-check";

async function reservations(mandateId: string) {
  return prisma.billingReservation.findMany({ where: { mandateId }, orderBy: { createdAt: "asc" } });
}

describe("runBillingCheck with reserve", () => {
  it("lets exactly as many concurrent reserving checks pass as the balance covers", async () => {
    const m = await createTestMandate({ balance: "10" });
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        runBillingCheck({ mandateId: m.mandateId, userId: m.memberId, estimatedCost: "1", reserve: true }),
      ),
    );
    const allowed = results.filter((r) => r.allowed);
    expect(allowed).toHaveLength(10);
    expect(new Set(allowed.map((r) => r.reservationId)).size).toBe(10);
    for (const refused of results.filter((r) => !r.allowed)) {
      expect(refused).toMatchObject({ reason: "INSUFFICIENT_BALANCE", requiredAmount: "1.000000" });
      expect(refused.reservationId).toBeUndefined();
    }
    const rows = await reservations(m.mandateId);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === "OPEN" && r.amount.toFixed(6) === "1.000000")).toBe(true);
    // Held money counts for plain checks too; the balance itself is untouched.
    expect(await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "0.000001" })).toMatchObject({
      allowed: false,
      reason: "INSUFFICIENT_BALANCE",
      currentBalance: "10.000000",
      requiredAmount: "0.000001",
    });
  });

  it("returns the reservation with its expiry and holds it for plain checks", async () => {
    const m = await createTestMandate({ balance: "5" });
    const before = Date.now();
    const held = await runBillingCheck({
      mandateId: m.mandateId,
      estimatedCost: "3.5",
      reserve: true,
      reservationTtlSeconds: 120,
    });
    expect(held).toMatchObject({ allowed: true, reason: null, currentBalance: "5.000000", replayed: false });
    expect(held.reservationExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + 119_000);
    expect(held.reservationExpiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 121_000);
    expect(await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1.5" })).toMatchObject({ allowed: true });
    expect(await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1.500001" })).toMatchObject({
      allowed: false,
      requiredAmount: "0.000001",
    });
    // A plain check never holds anything.
    expect(await reservations(m.mandateId)).toHaveLength(1);
  });

  it("frees the money of expired reservations at once; the sweep marks them, a debit still captures them", async () => {
    const m = await createTestMandate({ balance: "2" });
    const first = await runBillingCheck({
      mandateId: m.mandateId,
      estimatedCost: "2",
      reserve: true,
      reservationTtlSeconds: 1,
    });
    expect(first.allowed).toBe(true);

    await waitForExpiry([first.reservationId ?? ""]);
    const second = await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "2", reserve: true });
    expect(second).toMatchObject({ allowed: true, currentBalance: "2.000000" });
    // Marked by this sweep, or by a test server's that came first.
    await expireReservations();
    const swept = await reservations(m.mandateId);
    expect(swept.map((r) => [r.id, r.status])).toEqual([
      [first.reservationId, "EXPIRED"],
      [second.reservationId, "OPEN"],
    ]);
    expect(swept[0]?.settledAt).toEqual(swept[0]?.expiresAt);

    // The call it held for happened: its usage debit still settles it, over the label.
    await bookUsage({
      mandateId: m.mandateId,
      amount: "1.5",
      idempotencyKey: randomUUID(),
      reservationId: first.reservationId ?? null,
    });
    expect((await reservations(m.mandateId)).map((r) => r.status)).toEqual(["CAPTURED", "OPEN"]);
  });

  it("treats a reservation past its expires_at as free even before it is marked", async () => {
    const m = await createTestMandate({ balance: "1" });
    await ownerPrisma.billingReservation.create({
      data: {
        mandateId: m.mandateId,
        accountId: m.poolAccountId,
        amount: "1",
        expiresAt: new Date(Date.now() - 1_000),
      },
    });
    expect(await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1" })).toMatchObject({ allowed: true });
  });

  it("holds only the pool's own open, unexpired holds, however many other mandates hold", async () => {
    const busy = await createTestMandate({ balance: "1000" });
    const quiet = await createTestMandate({ balance: "10" });
    // The busy pool's history of settled holds and a burst of concurrent open ones.
    await ownerPrisma.$executeRaw`
      INSERT INTO billing_reservation (mandate_id, account_id, amount, status, expires_at, settled_at)
      SELECT ${busy.mandateId}::uuid, ${busy.poolAccountId}::uuid, 0.01, 'EXPIRED', t, t
        FROM generate_series(now() - interval '1 day', now() - interval '1 minute', interval '1 minute') AS t`;
    const busyHolds = await Promise.all(
      Array.from({ length: 30 }, () =>
        runBillingCheck({ mandateId: busy.mandateId, estimatedCost: "10", reserve: true }),
      ),
    );
    expect(busyHolds.every((r) => r.allowed)).toBe(true);
    expect((await runBillingCheck({ mandateId: quiet.mandateId, estimatedCost: "1", reserve: true })).allowed).toBe(
      true,
    );
    // One hold of the quiet pool expired a moment ago and is not marked yet: it holds nothing.
    await ownerPrisma.$executeRaw`
      INSERT INTO billing_reservation (mandate_id, account_id, amount, expires_at)
      VALUES (${quiet.mandateId}::uuid, ${quiet.poolAccountId}::uuid, 2, now() - interval '1 second')`;

    expect(await runBillingCheck({ mandateId: quiet.mandateId, estimatedCost: "9" })).toMatchObject({ allowed: true });
    expect(await runBillingCheck({ mandateId: quiet.mandateId, estimatedCost: "9.000001" })).toMatchObject({
      allowed: false,
      reason: "INSUFFICIENT_BALANCE",
      requiredAmount: "0.000001",
    });
    expect(await runBillingCheck({ mandateId: busy.mandateId, estimatedCost: "700" })).toMatchObject({ allowed: true });
    expect(await runBillingCheck({ mandateId: busy.mandateId, estimatedCost: "700.000001" })).toMatchObject({
      allowed: false,
      requiredAmount: "0.000001",
    });
  });

  it("a hold is OPEN exactly while it is unsettled: the database refuses either contradiction", async () => {
    // The sweep's partial index (settled_at IS NULL) stands for the OPEN holds only because of this.
    const m = await createTestMandate({ balance: "1" });
    const insert = (status: string, settled: boolean) =>
      ownerPrisma.$executeRaw`
        INSERT INTO billing_reservation (mandate_id, account_id, amount, status, expires_at, settled_at)
        VALUES (${m.mandateId}::uuid, ${m.poolAccountId}::uuid, 0.5, ${status}::"ReservationStatus",
                now() + interval '1 minute', ${settled ? new Date() : null}::timestamptz)`;
    await expect(insert("OPEN", true)).rejects.toThrow(/billing_reservation_open_iff_unsettled/);
    await expect(insert("EXPIRED", false)).rejects.toThrow(/billing_reservation_open_iff_unsettled/);
    expect(await reservations(m.mandateId)).toHaveLength(0);
  });

  it("a retried reserving check returns the same reservation and holds nothing more", async () => {
    const m = await createTestMandate({ balance: "1" });
    const idempotencyKey = randomUUID();
    const check = () =>
      runBillingCheck({
        mandateId: m.mandateId,
        userId: m.ownerId,
        estimatedCost: "0.8",
        reserve: true,
        idempotencyKey,
      });
    const [a, b] = await Promise.all([check(), check()]);
    const again = await check();
    expect(a.allowed && b.allowed && again.allowed).toBe(true);
    expect(new Set([a.reservationId, b.reservationId, again.reservationId]).size).toBe(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(again.replayed).toBe(true);
    expect(await reservations(m.mandateId)).toHaveLength(1);

    await expect(
      runBillingCheck({
        mandateId: m.mandateId,
        userId: m.ownerId,
        estimatedCost: "0.5",
        reserve: true,
        idempotencyKey,
      }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
    await expect(
      runBillingCheck({
        mandateId: m.mandateId,
        userId: m.adminId,
        estimatedCost: "0.8",
        reserve: true,
        idempotencyKey,
      }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
  });

  it("a retried reserving check never answers allowed with a hold that no longer holds money", async () => {
    const m = await createTestMandate({ balance: "1" });
    const check = (idempotencyKey: string, reservationTtlSeconds = 60) =>
      runBillingCheck({
        mandateId: m.mandateId,
        estimatedCost: "0.4",
        reserve: true,
        idempotencyKey,
        reservationTtlSeconds,
      });
    const held = async (id: string | undefined) =>
      (await prisma.billingReservation.findUniqueOrThrow({ where: { id: id! } })).status;

    // Released: decided again; a new hold takes over the key, and a further retry replays it.
    const releasedKey = randomUUID();
    const first = await check(releasedKey);
    await releaseReservation(m.mandateId, first.reservationId!);
    const renewed = await check(releasedKey);
    expect(renewed).toMatchObject({ allowed: true, replayed: false });
    expect(renewed.reservationId).not.toBe(first.reservationId);
    expect([await held(first.reservationId), await held(renewed.reservationId)]).toEqual(["RELEASED", "OPEN"]);
    expect(await check(releasedKey)).toMatchObject({ reservationId: renewed.reservationId, replayed: true });

    // Expired: the same.
    const expiredKey = randomUUID();
    const short = await check(expiredKey, 1);
    await waitForExpiry([short.reservationId!]);
    const afterExpiry = await check(expiredKey);
    expect(afterExpiry).toMatchObject({ allowed: true, replayed: false });
    expect(afterExpiry.reservationId).not.toBe(short.reservationId);

    // Captured: decided again on what is left (1 - 0.4 held - 0.4 held - 0.5 debited), refused.
    const capturedKey = randomUUID();
    await releaseReservation(m.mandateId, afterExpiry.reservationId!);
    const third = await check(capturedKey);
    await bookUsage({
      mandateId: m.mandateId,
      amount: "0.5",
      idempotencyKey: randomUUID(),
      reservationId: third.reservationId,
    });
    const refused = await check(capturedKey);
    expect(refused).toMatchObject({ allowed: false, reason: "INSUFFICIENT_BALANCE" });
    expect(refused.reservationId).toBeUndefined();
    expect(await held(third.reservationId)).toBe("CAPTURED");
  });

  it("holds nothing when the check refuses, whatever the reason", async () => {
    const m = await createTestMandate({ balance: "5", allowedProviders: ["anthropic"] });
    const stranger = await createTestUser("stranger");
    const reserve = (extra: { userId?: string; provider?: string; estimatedCost?: string }) =>
      runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1", reserve: true, ...extra });

    expect((await reserve({ userId: stranger })).reason).toBe("USER_NOT_MEMBER");
    expect((await reserve({ provider: "openai" })).reason).toBe("PROVIDER_NOT_ALLOWED");
    expect((await reserve({ estimatedCost: "5.000001" })).reason).toBe("INSUFFICIENT_BALANCE");
    await bookUsage({ mandateId: m.mandateId, userId: m.memberId, amount: "0.1", idempotencyKey: randomUUID() });
    const audit = await prisma.billingAccount.findFirstOrThrow({
      where: { mandateId: m.mandateId, userId: m.memberId },
    });
    await setAccountEnabled(m.mandateId, audit.id, false);
    expect((await reserve({ userId: m.memberId })).reason).toBe("ACCOUNT_DISABLED");
    await setAccountEnabled(m.mandateId, m.poolAccountId, false);
    expect((await reserve({})).reason).toBe("ACCOUNT_DISABLED");
    expect(await reservations(m.mandateId)).toHaveLength(0);
  });

  it("refuses a pool already below zero even for a zero estimate, and holds nothing", async () => {
    const m = await createTestMandate({ balance: "1" });
    await bookUsage({ mandateId: m.mandateId, amount: "1.5", idempotencyKey: randomUUID() });
    expect(await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "0", reserve: true })).toMatchObject({
      allowed: false,
      reason: "INSUFFICIENT_BALANCE",
      currentBalance: "-0.500000",
    });
    expect(await reservations(m.mandateId)).toHaveLength(0);
  });

  it("an unknown mandate is NOT_FOUND; a bad TTL or amount is VALIDATION_FAILED", async () => {
    await expect(runBillingCheck({ mandateId: randomUUID(), estimatedCost: "1", reserve: true })).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
    const m = await createTestMandate({ balance: "1" });
    for (const reservationTtlSeconds of [0, 3601, 1.5]) {
      await expect(
        runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1", reserve: true, reservationTtlSeconds }),
      ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    }
    await expect(
      runBillingCheck({ mandateId: m.mandateId, estimatedCost: "0.0000001", reserve: true }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await reservations(m.mandateId)).toHaveLength(0);
  });
});
