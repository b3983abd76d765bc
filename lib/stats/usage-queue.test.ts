import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate } from "@/testing/test-factories";
import { buildUsageRow, type UsageEvent } from "@/lib/ledger/book-usage";

/**
 * The roll-up queue holds sums, not debits: a batch adds one row per account, business day,
 * provider and feature. Read inside the booking's own transaction (rolled back at the end), so a
 * roll-up running in another test file cannot drain the rows before they are looked at.
 */
class RollBack extends Error {}

interface QueueRow {
  account_id: string;
  day: string;
  provider: string;
  feature: string;
  amount: string;
  transaction_count: number;
}

describe("usage roll-up queue", () => {
  it("queues a batch as one sum per account, day, provider and feature", async () => {
    const m = await createTestMandate({ balance: "10" });
    const usage = (amount: string, extra: Partial<UsageEvent>): UsageEvent => ({
      mandateId: m.mandateId,
      amount,
      idempotencyKey: randomUUID(),
      occurredAt: new Date("2026-03-28T23:30:00Z"), // 2026-03-29 00:30 in Zurich
      ...extra,
    });
    const events = [
      usage("0.100000", { userId: m.memberId, provider: "anthropic", featureCode: "chat" }),
      usage("0.000001", { userId: m.memberId, provider: "anthropic", featureCode: "chat" }),
      usage("1.250000", { userId: m.memberId, provider: "anthropic", featureCode: "chat" }),
      usage("0.333333", { provider: "openai" }),
      usage("0.666667", { provider: "openai" }),
      usage("2.000000", { provider: "openai", occurredAt: new Date("2026-03-28T22:59:59Z") }), // 03-28
    ].map((event, idx) => ({
      idx,
      mandate_id: event.mandateId,
      user_id: event.userId ?? null,
      reservation_id: null,
      tx: buildUsageRow(event),
    }));

    let queued: QueueRow[] = [];
    let auditId = "";
    await expect(
      prisma.$transaction(async (tx) => {
        const outcomes = await tx.$queryRaw<{ status: string }[]>`
          SELECT status FROM ledger_post_usage_batch(${JSON.stringify(events)}::jsonb)`;
        expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill("booked"));
        auditId = (await tx.billingAccount.findFirstOrThrow({ where: { mandateId: m.mandateId, userId: m.memberId } }))
          .id;
        queued = await tx.$queryRaw<QueueRow[]>`
          SELECT account_id, to_char(day, 'YYYY-MM-DD') AS day, provider, feature, amount::text, transaction_count
            FROM usage_rollup_queue WHERE account_id IN (${m.poolAccountId}::uuid, ${auditId}::uuid)
           ORDER BY account_id = ${m.poolAccountId}::uuid DESC, day, provider`;
        throw new RollBack();
      }),
    ).rejects.toBeInstanceOf(RollBack);

    const row = (accountId: string, day: string, provider: string, feature: string, amount: string, count: number) => ({
      account_id: accountId,
      day,
      provider,
      feature,
      amount,
      transaction_count: count,
    });
    expect(queued).toEqual([
      row(m.poolAccountId, "2026-03-28", "openai", "unknown", "2.000000", 1),
      row(m.poolAccountId, "2026-03-29", "anthropic", "chat", "1.350001", 3),
      row(m.poolAccountId, "2026-03-29", "openai", "unknown", "1.000000", 2),
      row(auditId, "2026-03-29", "anthropic", "chat", "1.350001", 3),
    ]);
  });
});
