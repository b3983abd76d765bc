import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, setAccountEnabled } from "@/testing/test-factories";
import { DomainError } from "@/lib/errors";
import { reconcileAccount } from "./accounts";
import { buildUsageRow } from "./book-usage";
import { callLedgerPost, callLedgerPostUsage, runLedgerSql } from "./ledger-sql";

/**
 * The hot-path calls run on node-postgres directly, the rest of lib/ through Prisma: the ledger's
 * SQLSTATEs must become the same DomainErrors, with the database's wording, on both paths, and
 * rows read on the pg pool must carry money as exact decimal strings.
 */

function usageRow(mandateId: string, userId: string | null, amount: string, idempotencyKey: string) {
  return buildUsageRow({ mandateId, userId, amount, idempotencyKey, provider: "anthropic" });
}

describe("ledger calls on the pg pool", () => {
  it("maps a reused key with another payload (BL409) to IDEMPOTENCY_CONFLICT and books nothing", async () => {
    const m = await createTestMandate({ balance: "1" });
    const key = randomUUID();
    await callLedgerPostUsage(m.mandateId, m.memberId, usageRow(m.mandateId, m.memberId, "0.1", key));
    const conflict = callLedgerPostUsage(m.mandateId, m.memberId, usageRow(m.mandateId, m.memberId, "0.2", key));
    await expect(conflict).rejects.toBeInstanceOf(DomainError);
    await expect(conflict).rejects.toMatchObject({
      code: "IDEMPOTENCY_CONFLICT",
      message: `idempotency key ${key} was used for a different booking`,
    });
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "0.900000", sum: "0.900000", count: 2 });
  });

  it("maps BL404 to NOT_FOUND, with the database's message", async () => {
    const m = await createTestMandate({ balance: "1" });
    const unknown = randomUUID();
    await expect(
      callLedgerPostUsage(unknown, null, usageRow(unknown, null, "0.1", randomUUID())),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: `mandate ${unknown} has no pool account` });
    expect((await reconcileAccount(m.poolAccountId)).count).toBe(1);
  });

  it("lets other database errors through unchanged", async () => {
    const notUuid = callLedgerPostUsage("not-a-uuid", null, usageRow("not-a-uuid", null, "0.1", randomUUID()));
    await expect(notUuid).rejects.toBeInstanceOf(pg.DatabaseError);
    await expect(notUuid).rejects.toMatchObject({ code: "22P02" });
  });

  it("returns money as six-decimal strings and the stored timestamp", async () => {
    const m = await createTestMandate({ balance: "1" });
    const [pool, audit] = await callLedgerPostUsage(
      m.mandateId,
      m.memberId,
      usageRow(m.mandateId, m.memberId, "0.000012", randomUUID()),
    );
    expect(pool).toMatchObject({
      accountId: m.poolAccountId,
      transactionType: "DEBIT",
      amount: "0.000012",
      balanceAfter: "0.999988",
      replayed: false,
    });
    expect(audit).toMatchObject({ amount: "0.000012", balanceAfter: "-0.000012", replayed: false });
    const stored = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: pool!.transactionId } });
    expect(pool!.createdAt).toBeInstanceOf(Date);
    expect(pool!.createdAt.toISOString()).toBe(stored.createdAt.toISOString());
  });

  it("callLedgerPost refuses a disabled account (BL403) as ACCOUNT_DISABLED", async () => {
    const m = await createTestMandate({ balance: "1" });
    await setAccountEnabled(m.mandateId, m.poolAccountId, false);
    const row = { amount: "0.1", description: "x", idempotency_key: randomUUID(), request_hash: "h" };
    await expect(callLedgerPost(m.poolAccountId, { transaction_type: "DEBIT", ...row }, true)).rejects.toMatchObject({
      code: "ACCOUNT_DISABLED",
      message: `account ${m.poolAccountId} is disabled`,
    });
  });
});

describe("runLedgerSql through Prisma", () => {
  // lib/storage books inside a Prisma transaction, so Prisma-wrapped errors must still map.
  it("maps a ledger SQLSTATE wrapped by Prisma to its DomainError, with the database's message", async () => {
    const accountId = randomUUID();
    const row = JSON.stringify({ amount: "1", description: "x", idempotency_key: randomUUID(), request_hash: "h" });
    await expect(
      runLedgerSql(
        () => prisma.$queryRaw`SELECT * FROM ledger_post(${accountId}::uuid,
          jsonb_populate_record(NULL::billing_transaction, ${row}::jsonb), false)`,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: `account ${accountId} not found` });
  });
});
