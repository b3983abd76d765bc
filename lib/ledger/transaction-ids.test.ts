import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestMandate } from "@/testing/test-factories";
import { bookUsage, bookUsageBatch } from "./book-usage";
import { debit } from "./post-transaction";

/**
 * Transaction ids are UUIDv7 (ledger_uuid_v7()): time-ordered, so new rows append to
 * the primary-key index instead of landing on random pages of it.
 */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millis = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("transaction ids", () => {
  it("are version 7 UUIDs that carry the booking's millisecond and grow with it", async () => {
    const m = await createTestMandate({ balance: "10" });
    const before = Date.now();
    const first = await debit({
      accountId: m.poolAccountId,
      amount: "0.01",
      idempotencyKey: randomUUID(),
      description: "storage",
      referenceType: "STORAGE",
    });
    await pause(5);
    const single = await bookUsage({
      mandateId: m.mandateId,
      userId: m.memberId,
      amount: "0.02",
      idempotencyKey: randomUUID(),
    });
    await pause(5);
    const [batched] = await bookUsageBatch([
      { mandateId: m.mandateId, userId: m.memberId, amount: "0.03", idempotencyKey: randomUUID() },
    ]);
    const after = Date.now();

    const ids = [first.transactionId, single.pool.transactionId, single.audit?.transactionId, batched?.transactionId];
    for (const id of ids) expect(id).toMatch(UUID_V7);
    const stamps = ids.map((id) => millis(id ?? ""));
    expect(stamps[0]).toBeGreaterThanOrEqual(before - 1_000); // the database clock may differ a little
    expect(stamps[3]).toBeLessThanOrEqual(after + 1_000);
    expect(stamps[1]).toBeGreaterThan(stamps[0] ?? Infinity);
    expect(stamps[3]).toBeGreaterThan(stamps[1] ?? Infinity);
    expect(new Set(ids).size).toBe(4);
  });
});
