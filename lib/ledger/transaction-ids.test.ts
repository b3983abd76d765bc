import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate } from "@/testing/test-factories";
import { waitUntil } from "@/testing/wait-until";
import { bookUsage, bookUsageBatch } from "./book-usage";
import { debit } from "./post-transaction";

/**
 * Transaction ids are UUIDv7 (ledger_uuid_v7 in the migrations): time-ordered, so new rows append
 * to the primary-key index instead of landing on random pages of it.
 */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millis = (id: string | null | undefined) => parseInt((id ?? "").replace(/-/g, "").slice(0, 12), 16);

/** The database's clock in Unix milliseconds, read as ledger_uuid_v7 reads it. */
async function databaseMillis(): Promise<number> {
  const [row] = await prisma.$queryRaw<{ ms: number }[]>`
    SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint::float8 AS ms`;
  if (!row) throw new Error("no clock");
  return row.ms;
}

/** Until the database's clock is past the given millisecond, so the next id must carry a later one. */
const nextMillisecond = (after: number) =>
  waitUntil(`the database clock passes ${after}`, async () => (await databaseMillis()) > after, { pollMs: 1 });

describe("transaction ids", () => {
  it("are version 7 UUIDs that carry the booking's millisecond and grow with it", async () => {
    const m = await createTestMandate({ balance: "10" });
    const before = await databaseMillis();
    const first = await debit({
      accountId: m.poolAccountId,
      amount: "0.01",
      idempotencyKey: randomUUID(),
      description: "storage",
      referenceType: "STORAGE",
    });
    await nextMillisecond(millis(first.transactionId));
    const single = await bookUsage({
      mandateId: m.mandateId,
      userId: m.memberId,
      amount: "0.02",
      idempotencyKey: randomUUID(),
    });
    await nextMillisecond(Math.max(millis(single.pool.transactionId), millis(single.audit?.transactionId)));
    const [batched] = await bookUsageBatch([
      { mandateId: m.mandateId, userId: m.memberId, amount: "0.03", idempotencyKey: randomUUID() },
    ]);
    const after = await databaseMillis();

    const ids = [first.transactionId, single.pool.transactionId, single.audit?.transactionId, batched?.transactionId];
    for (const id of ids) expect(id).toMatch(UUID_V7);
    const stamps = ids.map(millis);
    expect(stamps[0]).toBeGreaterThanOrEqual(before);
    expect(stamps[3]).toBeLessThanOrEqual(after);
    expect(stamps[1]).toBeGreaterThan(stamps[0] ?? Infinity);
    expect(stamps[3]).toBeGreaterThan(stamps[1] ?? Infinity);
    expect(new Set(ids).size).toBe(4);
  });
});
