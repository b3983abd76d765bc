import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "16";
});

import { UsageBatchInput, UsageEventInput } from "@/lib/api/routes/billing";
import { releaseReservation } from "@/lib/billing-check/release-reservation";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { prisma } from "@/lib/db/client";
import { createTestMandate, createTestUser, type TestMandate, setAccountEnabled } from "@/testing/test-factories";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { bookUsage } from "@/lib/ledger/book-usage";
import { add, mulRate, sub, toMoneyString } from "@/lib/money/money";
import { recordUsageBatch, type RecordUsageBatchOptions } from "./record-usage-batch";
import { recordUsage } from "./record-usage";
import { sampleUsageEvent, sampleUsageInput } from "@/testing/sample-usage-event";

type RawEvent = Record<string, unknown>;

function event(mandateId: string, extra: RawEvent = {}): RawEvent {
  return sampleUsageEvent(mandateId, { processingTime: 0.25, ...extra });
}

const anyMandate = () => true;

/** The events as the batch route hands them over: each parsed on its own by the API schema. */
function parsed(events: unknown[]): RecordUsageBatchOptions["events"] {
  return UsageBatchInput.parse({ events }).events;
}

async function expectReconciled(accountId: string, balance: string): Promise<void> {
  const r = await reconcileAccount(accountId);
  expect(r.balance).toBe(balance);
  expect(r.sum).toBe(balance);
}

async function auditAccountId(m: TestMandate, userId: string): Promise<string> {
  return (await prisma.billingAccount.findFirstOrThrow({ where: { mandateId: m.mandateId, userId } })).id;
}

describe("recordUsageBatch", () => {
  it("books the good events and rejects each bad one alone; a debit is never refused for state", async () => {
    const m = await createTestMandate({ balance: "10" });
    const other = await createTestMandate({ balance: "10" });
    const disabled = await createTestMandate({ balance: "10" });
    await setAccountEnabled(disabled.mandateId, disabled.poolAccountId, false);
    const stranger = await createTestUser("stranger");
    const booked = event(m.mandateId, { amount: "0.5" });
    await recordUsage(UsageEventInput.parse(booked));
    const inBatch = event(m.mandateId, { userId: m.memberId, amount: "1" });

    const events: unknown[] = [
      event(m.mandateId, { amount: "1" }), // 0 booked
      booked, // 1 duplicate of a booking made before
      { ...booked, amount: "0.6" }, // 2 conflict with it
      inBatch, // 3 booked (pool and member's audit account)
      inBatch, // 4 duplicate within the batch
      { ...inBatch, amount: "2" }, // 5 conflict within the batch
      event(m.mandateId, { amount: "-1" }), // 6 invalid
      event(randomUUID()), // 7 unknown mandate
      event(m.mandateId, { userId: stranger, amount: "0.1" }), // 8 not a member: booked on the pool, noted
      event(other.mandateId), // 9 mandate the caller may not book for
      event(disabled.mandateId, { amount: "0.1" }), // 10 disabled pool: booked, noted
      "not an event", // 11 invalid
      event(m.mandateId, { providerCost: "0.2", amount: undefined, userId: m.ownerId }), // 12 booked at 0.3
    ];
    const result = await recordUsageBatch({ events: parsed(events), mayBookFor: (id) => id !== other.mandateId });

    expect(result.results.map((r) => [r.index, r.status, r.error?.code ?? null])).toEqual([
      [0, "booked", null],
      [1, "duplicate", null],
      [2, "rejected", "IDEMPOTENCY_CONFLICT"],
      [3, "booked", null],
      [4, "duplicate", null],
      [5, "rejected", "IDEMPOTENCY_CONFLICT"],
      [6, "rejected", "VALIDATION_FAILED"],
      [7, "rejected", "NOT_FOUND"],
      [8, "booked", null],
      [9, "rejected", "FORBIDDEN"],
      [10, "booked", null],
      [11, "rejected", "VALIDATION_FAILED"],
      [12, "booked", null],
    ]);
    expect(result).toMatchObject({ booked: 5, duplicates: 2, rejected: 6 });
    expect(result.results[4]?.transactionId).toBe(result.results[3]?.transactionId);
    expect(result.results[6]?.error?.details).toEqual([expect.objectContaining({ path: "amount" })]);

    // 10 - 0.5 (before) - 1 - 1 - 0.1 - 0.3
    await expectReconciled(m.poolAccountId, "7.100000");
    expect((await reconcileAccount(m.poolAccountId)).count).toBe(6);
    await expectReconciled(await auditAccountId(m, m.memberId), "-1.000000");
    await expectReconciled(await auditAccountId(m, m.ownerId), "-0.300000");
    await expectReconciled(other.poolAccountId, "10.000000");
    await expectReconciled(disabled.poolAccountId, "9.900000");
    const notes = await prisma.billingTransaction.findMany({
      where: { id: { in: [result.results[8]!.transactionId!, result.results[10]!.transactionId!] } },
    });
    expect(notes.map((t) => [t.createdByUserId, t.description.replace(/^.*\[/, "[")]).sort()).toEqual(
      [
        [null, `[booked although: user ${stranger} is not a member of the mandate: not attributed]`],
        [null, "[booked although: pool account disabled]"],
      ].sort(),
    );
    expect(await prisma.billingAccount.count({ where: { userId: stranger } })).toBe(0);
    const priced = await prisma.billingTransaction.findUniqueOrThrow({
      where: { id: result.results[12]?.transactionId },
    });
    expect([priced.amount.toFixed(6), priced.providerCost?.toFixed(6), priced.createdByUserId]).toEqual([
      "0.300000",
      "0.200000",
      m.ownerId,
    ]);
  });

  it("writes balance_after sequentially per account, in batch order, across mandates", async () => {
    const a = await createTestMandate({ balance: "1" });
    const b = await createTestMandate({ balance: "2" });
    const amounts = ["0.1", "0.000001", "0.25", "0.3", "0.5", "0.000002"];
    const events = amounts.map((amount, i) =>
      event(i % 2 === 0 ? a.mandateId : b.mandateId, { amount, userId: i % 2 === 0 ? a.adminId : null }),
    );
    const result = await recordUsageBatch({ events: parsed(events), mayBookFor: anyMandate });
    expect(result.booked).toBe(6);

    const expected = new Map([
      [a.poolAccountId, "1"],
      [b.poolAccountId, "2"],
    ]);
    for (const [i, r] of result.results.entries()) {
      const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: r.transactionId } });
      const before = expected.get(tx.accountId) ?? "0";
      const after = toMoneyString(sub(before, amounts[i] ?? "0"));
      expect(tx.balanceAfter.toFixed(6), `event ${i}`).toBe(after);
      expected.set(tx.accountId, after);
    }
    await expectReconciled(a.poolAccountId, "0.150000");
    await expectReconciled(b.poolAccountId, "1.699997");
    await expectReconciled(await auditAccountId(a, a.adminId), "-0.850000");
  });

  it("captures reservations: once per reservation, only of the event's own mandate; books every debit", async () => {
    const m = await createTestMandate({ balance: "10" });
    const other = await createTestMandate({ balance: "10" });
    const reserve = async (mandateId: string) =>
      (await runBillingCheck({ mandateId, estimatedCost: "1", reserve: true })).reservationId;
    const [r1, r2, settled, ofOther, released] = await Promise.all([
      reserve(m.mandateId),
      reserve(m.mandateId),
      reserve(m.mandateId),
      reserve(other.mandateId),
      reserve(m.mandateId),
    ]);
    await recordUsage(sampleUsageInput(m.mandateId, { amount: "1", reservationId: settled }));
    await releaseReservation(m.mandateId, released!);

    const result = await recordUsageBatch({
      mayBookFor: anyMandate,
      events: parsed([
        event(m.mandateId, { reservationId: r1, amount: "0.4" }), // booked, captures r1
        event(m.mandateId, { reservationId: r1, amount: "0.4" }), // r1 taken by event 0
        event(m.mandateId, { reservationId: r2, amount: "1.7" }), // booked, captures r2
        event(m.mandateId, { reservationId: settled }), // settled before
        event(m.mandateId, { reservationId: ofOther, amount: "0.1" }), // another mandate's
        event(m.mandateId, { reservationId: released, amount: "0.1" }), // released before
      ]),
    });
    expect(result.results.map((r) => r.error?.code ?? r.status)).toEqual(Array(6).fill("booked"));
    const described = await prisma.billingTransaction.findMany({
      where: { id: { in: result.results.map((r) => r.transactionId!) } },
    });
    const note = (i: number) =>
      described.find((t) => t.id === result.results[i]?.transactionId)?.description.replace(/^[^[]*/, "");
    expect([0, 1, 2, 3, 4, 5].map(note)).toEqual([
      "",
      `[booked although: reservation ${r1} captured by an earlier event of the batch]`,
      "",
      expect.stringMatching(new RegExp(`^\\[booked although: reservation ${settled} already captured by transaction `)),
      `[booked although: reservation ${ofOther} not found]`,
      `[booked although: reservation ${released} was released]`,
    ]);
    const rows = await prisma.billingReservation.findMany({ where: { id: { in: [r1!, r2!, ofOther!] } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(r1!)).toMatchObject({ status: "CAPTURED", transactionId: result.results[0]?.transactionId });
    expect(byId.get(r2!)).toMatchObject({ status: "CAPTURED", transactionId: result.results[2]?.transactionId });
    expect(byId.get(ofOther!)?.status).toBe("OPEN");
    expect((await prisma.billingReservation.findUniqueOrThrow({ where: { id: released! } })).status).toBe("RELEASED");
    // 10 - 1 (before) - 0.4 - 0.4 - 1.7 - event 3 - 0.1 - 0.1
    const event3 = described.find((t) => t.id === result.results[3]?.transactionId)!.amount.toFixed(6);
    await expectReconciled(m.poolAccountId, toMoneyString(sub("6.300000", event3)));
  });

  it("after a user left: a replay gets its first answer, a new debit books on the kept audit account", async () => {
    const m = await createTestMandate({ balance: "10" });
    const first = event(m.mandateId, { userId: m.memberId, amount: "1" });
    const before = await recordUsageBatch({ events: parsed([first]), mayBookFor: anyMandate });
    const audit = await auditAccountId(m, m.memberId);
    await prisma.membership.deleteMany({ where: { mandateId: m.mandateId, userId: m.memberId } });
    await setAccountEnabled(m.mandateId, audit, false);

    const later = event(m.mandateId, { userId: m.memberId, amount: "2" });
    const result = await recordUsageBatch({ events: parsed([first, later]), mayBookFor: anyMandate });
    expect(result.results.map((r) => [r.status, r.error?.code ?? null])).toEqual([
      ["duplicate", null],
      ["booked", null],
    ]);
    expect(result.results[0]?.transactionId).toBe(before.results[0]?.transactionId);
    const rows = await prisma.billingTransaction.findMany({
      where: { idempotencyKey: String((later as { idempotencyKey: string }).idempotencyKey) },
    });
    expect(rows.map((t) => t.accountId).sort()).toEqual([audit, m.poolAccountId].sort());
    for (const t of rows) {
      expect(t.createdByUserId).toBe(m.memberId);
      expect(t.description).toContain(
        "[booked although: user no longer a member of the mandate; user account disabled]",
      );
    }
    await expectReconciled(m.poolAccountId, "7.000000");
    await expectReconciled(audit, "-3.000000");
  });

  it("a batch sent twice books once; the second answers duplicates with the same transactions", async () => {
    const m = await createTestMandate({ balance: "5" });
    const events = Array.from({ length: 50 }, (_, i) =>
      event(m.mandateId, { amount: "0.01", userId: [m.ownerId, m.memberId, null][i % 3] }),
    );
    const first = await recordUsageBatch({ events: parsed(events), mayBookFor: anyMandate });
    const second = await recordUsageBatch({ events: parsed(events), mayBookFor: anyMandate });
    expect(first).toMatchObject({ booked: 50, duplicates: 0, rejected: 0 });
    expect(second).toMatchObject({ booked: 0, duplicates: 50, rejected: 0 });
    expect(second.results.map((r) => r.transactionId)).toEqual(first.results.map((r) => r.transactionId));
    await expectReconciled(m.poolAccountId, "4.500000");
  });

  it("a single retry of a batched event replays it (same request hash on both paths)", async () => {
    const m = await createTestMandate({ balance: "1" });
    const raw = event(m.mandateId, { userId: m.adminId, providerCost: "0.02", amount: undefined });
    const [batched] = (await recordUsageBatch({ events: parsed([raw]), mayBookFor: anyMandate })).results;
    // The single path parses the same event (processingTime sent as a number there too).
    const single = await recordUsage(UsageEventInput.parse(raw));
    expect(single).toMatchObject({ replayed: true, transactionId: batched?.transactionId, amount: "0.030000" });
  });

  it("concurrent batches and single bookings on shared accounts neither deadlock nor lose money", async () => {
    const mandates = await Promise.all([1, 2, 3].map(() => createTestMandate({ balance: "100" })));
    const users = (m: TestMandate) => [m.ownerId, m.adminId, m.memberId, null];
    let expectedDebits = 0;
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 150 }, (_, i) => {
        const m = mandates[(b + i) % 3]!;
        expectedDebits += 1;
        return event(m.mandateId, { amount: "0.001", userId: users(m)[(b * 7 + i) % 4] });
      }),
    );
    const singles = mandates.flatMap((m) =>
      Array.from({ length: 20 }, (_, i) =>
        bookUsage({ mandateId: m.mandateId, userId: users(m)[i % 4], amount: "0.001", idempotencyKey: randomUUID() }),
      ),
    );
    const results = await Promise.all([
      ...batches.map((events) => recordUsageBatch({ events: parsed(events), mayBookFor: anyMandate })),
      ...singles,
    ]);
    expect(results.slice(0, 8).every((r) => "booked" in r && r.booked === 150)).toBe(true);

    let total = "0";
    for (const m of mandates) {
      const pool = await reconcileAccount(m.poolAccountId);
      expect(pool.balance).toBe(pool.sum);
      total = toMoneyString(add(total, sub("100", pool.balance)));
      for (const userId of [m.ownerId, m.adminId, m.memberId]) {
        const audit = await reconcileAccount(await auditAccountId(m, userId));
        expect(audit.balance).toBe(audit.sum);
      }
    }
    expect(total).toBe(toMoneyString(mulRate(String(expectedDebits + 60), "0.001")));
  });

  it("queues every debit it books for the statistics roll-up", async () => {
    const m = await createTestMandate({ balance: "1" });
    const result = await recordUsageBatch({
      mayBookFor: anyMandate,
      events: parsed([event(m.mandateId, { userId: m.memberId }), event(m.mandateId)]),
    });
    const debits = await prisma.billingTransaction.findMany({
      where: { mandateId: m.mandateId, transactionType: "DEBIT" },
      select: { id: true, accountId: true },
    });
    expect(debits).toHaveLength(3);
    expect(result.booked).toBe(2);
    // A roll-up running meanwhile may already have moved some from the queue to the statistics;
    // one statement reads both in one snapshot.
    const accountIds = [...new Set(debits.map((d) => d.accountId))];
    const [counted] = await prisma.$queryRaw<{ n: number }[]>`
      SELECT ((SELECT coalesce(sum(transaction_count), 0) FROM usage_rollup_queue WHERE account_id = ANY(${accountIds}::uuid[]))
            + (SELECT coalesce(sum(transaction_count), 0) FROM usage_statistics
                WHERE account_id = ANY(${accountIds}::uuid[]) AND period_type = 'DAY'))::int AS n`;
    expect(counted?.n).toBe(3);
  });
});
