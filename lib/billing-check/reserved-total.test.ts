import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// Enough connections for holds, captures and sweeps to really overlap in PostgreSQL.
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "24";
});

import { prisma } from "@/lib/db/client";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { expectAvailable } from "@/testing/expect-available";
import { waitForExpiry, waitUntil } from "@/testing/wait-until";
import { bookUsage, bookUsageBatch } from "@/lib/ledger/book-usage";
import { add, sub, toMoneyString, type Money } from "@/lib/money/money";
import { releaseReservation } from "./release-reservation";
import { expireReservations } from "./reservation-expiry";
import { runBillingCheck } from "./run-billing-check";

/** reserved_amount as kept by the triggers, next to the sum it stands for. */
async function reservedTotals(accountId: string) {
  const [row] = await prisma.$queryRaw<{ kept: string; open: string }[]>`
    SELECT a.reserved_amount::text AS kept,
           (SELECT coalesce(sum(r.amount), 0) FROM billing_reservation r
             WHERE r.account_id = a.id AND r.status = 'OPEN')::numeric(30,6)::text AS open
      FROM billing_account a WHERE a.id = ${accountId}::uuid`;
  if (!row) throw new Error("no such account");
  return row;
}

async function expectTotalKept(m: TestMandate): Promise<void> {
  const totals = await reservedTotals(m.poolAccountId);
  expect(totals.kept, `held money kept for ${m.mandateId}`).toBe(totals.open);
}

/** A hold written by hand: no check writes one that expires earlier than now, a hand-made row can. */
async function handWrittenHold(m: TestMandate, amount: string, expiresInMs: number): Promise<string> {
  const row = await ownerPrisma.billingReservation.create({
    data: { mandateId: m.mandateId, accountId: m.poolAccountId, amount, expiresAt: new Date(Date.now() + expiresInMs) },
  });
  return row.id;
}

/** A hold made by a reserving check, which must be allowed. */
async function hold(m: TestMandate, estimatedCost: string, reservationTtlSeconds: number): Promise<string> {
  const check = await runBillingCheck({ mandateId: m.mandateId, estimatedCost, reserve: true, reservationTtlSeconds });
  if (!check.allowed || !check.reservationId) throw new Error(`check refused: ${check.reason}`);
  return check.reservationId;
}

/** Longer than any test runs: such a hold is OPEN and holds money until settled. */
const LONG_TTL = 3_600;

describe("the running total of held money (billing_account.reserved_amount)", () => {
  it("equals the OPEN holds after concurrent holds, captures, batch captures, releases and sweeps, without deadlocks", async () => {
    const mandates = await Promise.all([1, 2, 3].map(() => createTestMandate({ balance: "1000" })));
    type Hold = { mandate: TestMandate; reservationId: string; amount: string; long: boolean };
    const debited = new Map<string, Money | string>(mandates.map((m) => [m.mandateId, "0"]));
    const debit = (m: TestMandate, amount: string) =>
      debited.set(m.mandateId, add(debited.get(m.mandateId) ?? "0", amount));

    // Expired holds from the first step on, whatever the timing: half of them are handed to the
    // captures (the batches take the oldest first), which race the sweeps for them; the other
    // half only a sweep can settle. The load's own 1-second holds may expire during it, or not.
    const stale: Hold[] = [];
    const sweepOnly: string[] = [];
    for (const mandate of mandates) {
      for (let k = 0; k < 8; k++) {
        const reservationId = await handWrittenHold(mandate, "0.5", -60_000 - k);
        if (k % 2) sweepOnly.push(reservationId);
        else stale.push({ mandate, reservationId, amount: "0.5", long: false });
      }
    }
    const open: Hold[] = [...stale];
    let captured = 0;
    let released = 0;

    // 24 workers, 25 steps each, every kind of step in every ten. A capture or release step that
    // finds fewer than two holds left makes one instead.
    const worker = async (w: number) => {
      for (let i = 0; i < 25; i++) {
        const mandate = mandates[(w + i) % mandates.length]!;
        const op = (w * 7 + i) % 10;
        if (op <= 4 || op === 9 || open.length < 2) {
          const long = op === 0 || op === 9;
          const amount = `0.${String(1 + ((w * 31 + i * 17) % 999)).padStart(3, "0")}`;
          const reservationId = await hold(mandate, amount, long ? LONG_TTL : 1);
          open.push({ mandate, reservationId, amount, long });
        } else if (op === 5) {
          const taken = open.pop()!;
          await bookUsage({
            mandateId: taken.mandate.mandateId,
            amount: "0.2",
            idempotencyKey: randomUUID(),
            reservationId: taken.reservationId,
          });
          debit(taken.mandate, "0.2");
          captured++;
        } else if (op === 6) {
          const taken = open.splice(0, 2);
          const outcomes = await bookUsageBatch(
            taken.map((t) => ({
              mandateId: t.mandate.mandateId,
              userId: t.mandate.memberId,
              amount: "0.3",
              idempotencyKey: randomUUID(),
              reservationId: t.reservationId,
            })),
          );
          expect(outcomes.map((o) => o.status)).toEqual(taken.map(() => "booked"));
          taken.forEach((t) => debit(t.mandate, "0.3"));
          captured += taken.length;
        } else if (op === 7) {
          const taken = open.pop()!;
          const outcome = await releaseReservation(taken.mandate.mandateId, taken.reservationId);
          // A hold that had run out is labelled EXPIRED instead: it held nothing any more.
          expect(outcome.status).toBe(outcome.released ? "RELEASED" : "EXPIRED");
          if (outcome.released) released++;
        } else {
          await expireReservations();
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));

    for (const m of mandates) await expectTotalKept(m);
    const mandateIds = mandates.map((m) => m.mandateId);
    const settledBy = async () => {
      const groups = await prisma.billingReservation.groupBy({
        by: ["status"],
        where: { mandateId: { in: mandateIds } },
        _count: true,
      });
      const count = (status: string) => groups.find((g) => g.status === status)?._count ?? 0;
      return { captured: count("CAPTURED"), released: count("RELEASED") };
    };
    // Every capture and release took its hold exactly once.
    expect(captured).toBeGreaterThan(0);
    expect(await settledBy()).toEqual({ captured, released });
    // Some sweep (this file's, or a test server's) ran after the stale holds were written.
    const swept = await prisma.billingReservation.findMany({ where: { id: { in: sweepOnly } } });
    expect(swept.map((r) => r.status)).toEqual(sweepOnly.map(() => "EXPIRED"));
    expect(swept.every((r) => r.settledAt?.getTime() === r.expiresAt.getTime())).toBe(true);

    // Once every 1-second hold has run out, marked or not, exactly the long holds still in hand
    // count against what the captures left: before the final sweep and after it.
    await waitUntil("every 1-second hold of the load has run out", async () => {
      const [row] = await prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM billing_reservation
         WHERE mandate_id = ANY(${mandateIds}::uuid[]) AND status = 'OPEN'
           AND expires_at > now() AND expires_at < now() + interval '10 minutes'`;
      return row?.n === 0;
    });
    const expectedAvailable = (m: TestMandate) => {
      const held = open
        .filter((h) => h.long && h.mandate === m)
        .reduce<Money | string>((sum, h) => add(sum, h.amount), "0");
      return toMoneyString(sub(sub("1000", debited.get(m.mandateId) ?? "0"), held));
    };
    for (const m of mandates) await expectAvailable(m.mandateId, expectedAvailable(m));
    await expireReservations();
    for (const m of mandates) {
      await expectAvailable(m.mandateId, expectedAvailable(m));
      await expectTotalKept(m);
    }
    const stillOpen = await prisma.billingReservation.findMany({
      where: { mandateId: { in: mandateIds }, status: "OPEN" },
      select: { id: true },
    });
    expect(new Set(stillOpen.map((r) => r.id))).toEqual(
      new Set(open.filter((h) => h.long).map((h) => h.reservationId)),
    );
  }, 120_000);

  it("frees a deleted OPEN hold at once and ignores deleted settled ones", async () => {
    const m = await createTestMandate({ balance: "5" });
    const kept = await hold(m, "1", LONG_TTL);
    const gone = await hold(m, "3", LONG_TTL);
    await bookUsage({ mandateId: m.mandateId, amount: "1", idempotencyKey: randomUUID(), reservationId: kept });
    await expectAvailable(m.mandateId, "1.000000");
    await expectTotalKept(m);

    await ownerPrisma.billingReservation.deleteMany({ where: { id: { in: [kept, gone] } } });
    await expectAvailable(m.mandateId, "4.000000");
    expect(await reservedTotals(m.poolAccountId)).toEqual({ kept: "0.000000", open: "0.000000" });
  });

  it("a hold stops holding money at its expiry, whether or not a sweep marked it; checks and sweeps in between change nothing", async () => {
    const m = await createTestMandate({ balance: "5" });
    const short = await hold(m, "2", 1);
    await hold(m, "1", LONG_TTL);
    await waitForExpiry([short]);
    // Unmarked, unless a test server's sweep got there first: it holds nothing either way.
    await expectAvailable(m.mandateId, "4.000000");

    // A reserving check after the expiry must not bring the expired hold back for later checks.
    const third = await hold(m, "3", LONG_TTL);
    await expectAvailable(m.mandateId, "1.000000");
    await expireReservations();
    const marked = await prisma.billingReservation.findUniqueOrThrow({ where: { id: short } });
    expect([marked.status, marked.settledAt]).toEqual(["EXPIRED", marked.expiresAt]);
    await expectAvailable(m.mandateId, "1.000000");

    // The call it held for happened after all: its debit captures it and takes only the debit.
    await bookUsage({ mandateId: m.mandateId, amount: "0.5", idempotencyKey: randomUUID(), reservationId: short });
    await expectAvailable(m.mandateId, "0.500000");
    await releaseReservation(m.mandateId, third);
    await expectAvailable(m.mandateId, "3.500000");
    await expectTotalKept(m);
  });

  it("counts a hand-written hold by its own expiry, also one that ran out before the pool's last sweep", async () => {
    const m = await createTestMandate({ balance: "3" });
    // A sweep settles everything the pool had, so it has nothing left to read below now.
    const first = await hold(m, "1", 1);
    await waitForExpiry([first]);
    await expireReservations();
    await expectAvailable(m.mandateId, "3.000000");

    // Ran out a minute before that sweep: frees at once, before any sweep marks it.
    await handWrittenHold(m, "1", -60_000);
    await expectAvailable(m.mandateId, "3.000000");
    // Runs out in an hour: holds its money until then, or until released.
    const later = await handWrittenHold(m, "2", 3_600_000);
    await expectAvailable(m.mandateId, "1.000000");
    expect((await releaseReservation(m.mandateId, later)).released).toBe(true);
    await expectAvailable(m.mandateId, "3.000000");
    await expectTotalKept(m);
  });
});
