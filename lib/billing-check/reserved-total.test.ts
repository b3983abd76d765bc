import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// Enough connections for holds, captures and sweeps to really overlap in PostgreSQL.
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "24";
});

import { prisma } from "@/lib/db/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { bookUsage, bookUsageBatch } from "@/lib/ledger/book-usage";
import { add, toMoneyString } from "@/lib/money/money";
import { expireReservations } from "./reservation-expiry";
import { runBillingCheck } from "./run-billing-check";

/** reserved_amount as kept by the triggers, next to the sum it stands for. */
async function reservedTotals(accountId: string) {
  const [row] = await prisma.$queryRaw<{ kept: string; open: string; bound: Date }[]>`
    SELECT a.reserved_amount::text AS kept,
           (SELECT coalesce(sum(r.amount), 0) FROM billing_reservation r
             WHERE r.account_id = a.id AND r.status = 'OPEN')::numeric(30,6)::text AS open,
           a.open_holds_expire_after AS bound
      FROM billing_account a WHERE a.id = ${accountId}::uuid`;
  if (!row) throw new Error("no such account");
  return row;
}

/** What a hold-aware check must see as available: balance less the OPEN holds not yet expired. */
async function availableNow(m: TestMandate): Promise<string> {
  const [row] = await prisma.$queryRaw<{ available: string }[]>`
    SELECT (a.balance - coalesce((SELECT sum(r.amount) FROM billing_reservation r
                                   WHERE r.account_id = a.id AND r.status = 'OPEN' AND r.expires_at > now()), 0)
           )::numeric(30,6)::text AS available
      FROM billing_account a WHERE a.id = ${m.poolAccountId}::uuid`;
  return row!.available;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A usage debit of 1 CHF that captures the hold. */
const captureWithDebit = (m: TestMandate, reservationId: string | undefined) =>
  bookUsage({ mandateId: m.mandateId, amount: "1", idempotencyKey: randomUUID(), reservationId });

describe("the running total of held money (billing_account.reserved_amount)", () => {
  it("equals the OPEN holds after concurrent holds, captures, batch captures and sweeps, without deadlocks", async () => {
    const mandates = await Promise.all([1, 2, 3].map(() => createTestMandate({ balance: "1000" })));
    const open: { mandate: TestMandate; reservationId: string }[] = [];
    let captured = 0;
    let swept = 0;
    const until = Date.now() + 2_500;

    // 24 workers until the deadline. More holds are made than captured, so 1-second holds expire
    // during the load: sweeps mark them, and batches (which take the oldest) capture expired holds
    // while the sweeps race them for the same pools.
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < until; i++) {
        const mandate = mandates[(w + i) % mandates.length]!;
        const op = (w * 7 + i) % 8;
        if (op <= 4 || open.length < 2) {
          const r = await runBillingCheck({
            mandateId: mandate.mandateId,
            userId: mandate.memberId,
            estimatedCost: `0.${String(1 + ((w * 31 + i * 17) % 999)).padStart(3, "0")}`,
            reserve: true,
            reservationTtlSeconds: op === 0 ? 60 : 1,
          });
          if (r.reservationId) open.push({ mandate, reservationId: r.reservationId });
        } else if (op === 5) {
          const hold = open.pop()!;
          await bookUsage({
            mandateId: hold.mandate.mandateId,
            amount: "0.2",
            idempotencyKey: randomUUID(),
            reservationId: hold.reservationId,
          });
          captured++;
        } else if (op === 6) {
          const holds = open.splice(0, 2);
          const outcomes = await bookUsageBatch(
            holds.map((hold) => ({
              mandateId: hold.mandate.mandateId,
              userId: hold.mandate.memberId,
              amount: "0.3",
              idempotencyKey: randomUUID(),
              reservationId: hold.reservationId,
            })),
          );
          expect(outcomes.map((o) => o.status)).toEqual(holds.map(() => "booked"));
          captured += holds.length;
        } else {
          swept += await expireReservations();
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));

    // The load did what it is meant to test.
    expect(captured).toBeGreaterThan(20);
    expect(swept).toBeGreaterThan(0);
    const statuses = await prisma.billingReservation.groupBy({
      by: ["status"],
      where: { mandateId: { in: mandates.map((m) => m.mandateId) } },
      _count: true,
    });
    expect(statuses.map((s) => s.status).sort()).toEqual(["CAPTURED", "EXPIRED", "OPEN"]);

    for (const m of mandates) {
      const totals = await reservedTotals(m.poolAccountId);
      expect(totals.kept).toBe(totals.open);
    }
    // Every 1-second hold has expired now, marked or not: a plain check sees exactly the rest.
    await sleep(1_100);
    for (const m of mandates) {
      const available = await availableNow(m);
      const fits = await runBillingCheck({ mandateId: m.mandateId, estimatedCost: available });
      expect(fits.allowed).toBe(true);
      const over = await runBillingCheck({
        mandateId: m.mandateId,
        estimatedCost: toMoneyString(add(available, "0.000001")),
      });
      expect(over).toMatchObject({ allowed: false, requiredAmount: "0.000001" });
    }
  }, 30_000);

  it("frees a deleted OPEN hold at once and ignores deleted settled ones", async () => {
    const m = await createTestMandate({ balance: "5" });
    const kept = await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1", reserve: true });
    const gone = await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "3", reserve: true });
    await captureWithDebit(m, kept.reservationId);
    expect((await reservedTotals(m.poolAccountId)).kept).toBe("3.000000");

    await prisma.billingReservation.deleteMany({ where: { id: { in: [kept.reservationId!, gone.reservationId!] } } });
    const totals = await reservedTotals(m.poolAccountId);
    expect(totals).toMatchObject({ kept: "0.000000", open: "0.000000" });
    expect(await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "4" })).toMatchObject({ allowed: true });
  });

  it("lets a reserving check move the bound up when no hold has expired, at most once a second", async () => {
    // A pool whose holds are all captured in time never has due holds, so the sweep never visits
    // it; without this its read of expired holds would reach back to the pool's first hold.
    const m = await createTestMandate({ balance: "5" });
    const created = (await reservedTotals(m.poolAccountId)).bound;
    const held = await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1", reserve: true });
    await captureWithDebit(m, held.reservationId);
    expect((await reservedTotals(m.poolAccountId)).bound).toEqual(created); // within the first second

    await sleep(1_100);
    const before = Date.now();
    await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1", reserve: true });
    const moved = (await reservedTotals(m.poolAccountId)).bound;
    expect(moved.getTime()).toBeGreaterThanOrEqual(created.getTime() + 1_000);
    expect(moved.getTime()).toBeGreaterThan(before - 5_000);
    // A plain check takes no lock and writes nothing.
    await sleep(1_100);
    await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1" });
    expect((await reservedTotals(m.poolAccountId)).bound).toEqual(moved);
  });

  it("moves open_holds_expire_after up only past marked holds, and down for a hold written below it", async () => {
    const m = await createTestMandate({ balance: "2" });
    const first = await runBillingCheck({
      mandateId: m.mandateId,
      estimatedCost: "2",
      reserve: true,
      reservationTtlSeconds: 1,
    });
    const hold = await prisma.billingReservation.findUniqueOrThrow({ where: { id: first.reservationId! } });
    await sleep(1_100);

    // The hold expired but is not marked: a reserving check must not move the bound past it.
    expect((await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "2", reserve: true })).allowed).toBe(true);
    expect((await reservedTotals(m.poolAccountId)).bound.getTime()).toBeLessThan(hold.expiresAt.getTime());

    // The sweep marks it and moves the bound up to its own start.
    const beforeSweep = Date.now();
    expect(await expireReservations()).toBeGreaterThanOrEqual(1); // other files' holds may expire too
    const swept = await reservedTotals(m.poolAccountId);
    expect(swept.bound.getTime()).toBeGreaterThanOrEqual(hold.expiresAt.getTime());
    expect(swept.bound.getTime()).toBeLessThanOrEqual(Date.now());
    expect(swept.bound.getTime()).toBeGreaterThan(beforeSweep - 5_000);
    expect(swept.kept).toBe("2.000000"); // the second check's hold

    // A hold written with an expiry below the bound (no check writes one; a hand-made row can)
    // moves the bound down, so it is still freed at its expiry and not only once marked.
    const past = new Date(swept.bound.getTime() - 60_000);
    await prisma.billingReservation.create({
      data: { mandateId: m.mandateId, accountId: m.poolAccountId, amount: "0.5", expiresAt: past },
    });
    const lowered = await reservedTotals(m.poolAccountId);
    expect(lowered.bound.getTime()).toBeLessThan(past.getTime());
    expect(lowered.kept).toBe("2.500000");
    expect(await availableNow(m)).toBe("0.000000");
    expect(await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "0.000001" })).toMatchObject({
      allowed: false,
      requiredAmount: "0.000001",
    });
  });
});
