import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { reconcileAccount } from "./accounts";
import { bookUsage } from "./book-usage";
import { findSqlState } from "./ledger-sql";
import { debit } from "./post-transaction";

/**
 * The ledger's invariants live in the database (prisma/migrations/*_baseline), so these
 * tests talk SQL to it directly, bypassing lib/ledger, and check PostgreSQL says no, even to the
 * tables' owner (the app's own role may not even try: app-role.test.ts).
 */

interface DbError {
  sqlState: string | undefined;
  message: string;
}

/** Awaits a statement that must fail and returns what the database said. */
async function refusal(statement: Promise<unknown>): Promise<DbError> {
  try {
    await statement;
  } catch (err) {
    return { sqlState: findSqlState(err), message: err instanceof Error ? err.message : String(err) };
  }
  throw new Error("the database accepted a statement it must refuse");
}

class Rollback extends Error {}

/**
 * Runs a statement that, were the guard missing, would damage rows other test files rely
 * on (TRUNCATE empties the shared table): it runs in a transaction that is always rolled back.
 */
async function refusalRolledBack(sql: string): Promise<DbError> {
  return refusal(
    ownerPrisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL lock_timeout = '20s'");
      await tx.$executeRawUnsafe(sql);
      throw new Rollback(`${sql} was accepted`);
    }),
  );
}

async function ledgerRows(accountId: string) {
  return ownerPrisma.billingTransaction.findMany({ where: { accountId }, orderBy: { id: "asc" } });
}

async function mandateWithTransactions(): Promise<TestMandate & { txId: string }> {
  const m = await createTestMandate({ balance: "10.5" });
  const booked = await debit({
    accountId: m.poolAccountId,
    amount: "0.000012",
    idempotencyKey: randomUUID(),
    description: "storage",
  });
  return { ...m, txId: booked.transactionId };
}

const APPEND_ONLY = "BL405";

describe("billing_transaction is append-only", () => {
  it("refuses UPDATE of a row, leaving it unchanged", async () => {
    const m = await mandateWithTransactions();
    const before = await ledgerRows(m.poolAccountId);
    expect(before).toHaveLength(2);

    for (const sql of [
      `UPDATE billing_transaction SET amount = 1000 WHERE id = $1::uuid`,
      `UPDATE billing_transaction SET description = description WHERE id = $1::uuid`,
      `UPDATE billing_transaction SET balance_after = balance_after + 1, idempotency_key = 'x' WHERE id = $1::uuid`,
    ]) {
      const err = await refusal(ownerPrisma.$executeRawUnsafe(sql, m.txId));
      expect(err.sqlState).toBe(APPEND_ONLY);
      expect(err.message).toContain("append-only: UPDATE refused");
    }
    const err = await refusal(
      ownerPrisma.$executeRaw`UPDATE billing_transaction SET transaction_type = 'CREDIT' WHERE account_id = ${m.poolAccountId}::uuid`,
    );
    expect(err.sqlState).toBe(APPEND_ONLY);

    expect(await ledgerRows(m.poolAccountId)).toEqual(before);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "10.499988", sum: "10.499988", count: 2 });
  });

  it("refuses DELETE of a row, leaving it in place", async () => {
    const m = await mandateWithTransactions();
    const before = await ledgerRows(m.poolAccountId);

    const one = await refusal(
      ownerPrisma.$executeRawUnsafe(`DELETE FROM billing_transaction WHERE id = $1::uuid`, m.txId),
    );
    expect(one.sqlState).toBe(APPEND_ONLY);
    expect(one.message).toContain("append-only: DELETE refused");
    const all = await refusal(
      ownerPrisma.$executeRaw`DELETE FROM billing_transaction WHERE mandate_id = ${m.mandateId}::uuid`,
    );
    expect(all.sqlState).toBe(APPEND_ONLY);

    expect(await ledgerRows(m.poolAccountId)).toEqual(before);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "10.499988", sum: "10.499988", count: 2 });
  });

  it("refuses TRUNCATE, leaving every row in place", async () => {
    const m = await mandateWithTransactions();
    const before = await ledgerRows(m.poolAccountId);

    for (const sql of [
      "TRUNCATE billing_transaction",
      "TRUNCATE ONLY billing_transaction",
      "TRUNCATE billing_transaction RESTART IDENTITY CASCADE",
    ]) {
      const err = await refusalRolledBack(sql);
      expect(err.sqlState).toBe(APPEND_ONLY);
      expect(err.message).toContain("append-only: TRUNCATE refused");
    }

    expect(await ledgerRows(m.poolAccountId)).toEqual(before);
    expect(await ownerPrisma.billingTransaction.count({ where: { id: m.txId } })).toBe(1);
  });

  it("refuses changes made through the Prisma client too", async () => {
    const m = await mandateWithTransactions();
    const before = await ledgerRows(m.poolAccountId);

    const attempts: Promise<unknown>[] = [
      ownerPrisma.billingTransaction.update({ where: { id: m.txId }, data: { amount: "0.000001" } }),
      ownerPrisma.billingTransaction.updateMany({ where: { mandateId: m.mandateId }, data: { description: "edited" } }),
      ownerPrisma.billingTransaction.delete({ where: { id: m.txId } }),
      ownerPrisma.billingTransaction.deleteMany({ where: { mandateId: m.mandateId } }),
    ];
    for (const attempt of attempts) {
      const err = await refusal(attempt);
      expect(err.sqlState).toBe(APPEND_ONLY);
    }

    expect(await ledgerRows(m.poolAccountId)).toEqual(before);
  });

  it("refuses changes to a user's audit account rows as well", async () => {
    const m = await createTestMandate({ balance: "1" });
    const booked = await bookUsage({
      mandateId: m.mandateId,
      userId: m.memberId,
      amount: "0.000012",
      idempotencyKey: randomUUID(),
    });
    const auditId = booked.audit?.accountId;
    if (!auditId) throw new Error("no audit booking");
    const before = await ledgerRows(auditId);

    const upd = await refusal(
      ownerPrisma.$executeRaw`UPDATE billing_transaction SET amount = 0.000001 WHERE account_id = ${auditId}::uuid`,
    );
    expect(upd.sqlState).toBe(APPEND_ONLY);
    const del = await refusal(
      ownerPrisma.$executeRaw`DELETE FROM billing_transaction WHERE account_id = ${auditId}::uuid`,
    );
    expect(del.sqlState).toBe(APPEND_ONLY);

    expect(await ledgerRows(auditId)).toEqual(before);
    expect(await reconcileAccount(auditId)).toEqual({ balance: "-0.000012", sum: "-0.000012", count: 1 });
  });
});

describe("billing_transaction row checks", () => {
  const SIGN_CHECK = "billing_transaction_amount_sign_check";

  function insertDirect(m: TestMandate, type: string, amount: string) {
    return ownerPrisma.$executeRawUnsafe(
      `INSERT INTO billing_transaction
         (account_id, mandate_id, transaction_type, amount, balance_after, description, idempotency_key, request_hash)
       VALUES ($1::uuid, $2::uuid, $3::"TransactionType", $4::numeric, 0, 'direct insert', $5, 'hash')`,
      m.poolAccountId,
      m.mandateId,
      type,
      amount,
      randomUUID(),
    );
  }

  it.each([
    ["CREDIT", "-1"],
    ["CREDIT", "-0.000001"],
    ["CREDIT", "0"],
    ["DEBIT", "-0.000012"],
    ["DEBIT", "0"],
    ["ADJUSTMENT", "0"],
    ["ADJUSTMENT", "0.000000"],
  ])("refuses a %s of %s inserted directly", async (type, amount) => {
    const m = await createTestMandate({ balance: "1" });

    const err = await refusal(insertDirect(m, type, amount));
    expect(err.sqlState).toBe("23514");
    expect(err.message).toContain(SIGN_CHECK);

    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "1.000000", sum: "1.000000", count: 1 });
  });

  // Control: the same statement with a valid amount is accepted (then rolled back, since a
  // direct insert would break balance = sum), so the refusals above are the CHECK's doing.
  it.each([
    ["CREDIT", "0.000001"],
    ["DEBIT", "0.000012"],
    ["ADJUSTMENT", "-0.000001"],
    ["ADJUSTMENT", "5"],
  ])("accepts a %s of %s, so the check is what refuses the others", async (type, amount) => {
    const m = await createTestMandate({ balance: "1" });
    const inserted = ownerPrisma.$transaction(async (tx) => {
      const count = await tx.$executeRawUnsafe(
        `INSERT INTO billing_transaction
           (account_id, mandate_id, transaction_type, amount, balance_after, description, idempotency_key, request_hash)
         VALUES ($1::uuid, $2::uuid, $3::"TransactionType", $4::numeric, 0, 'direct insert', $5, 'hash')`,
        m.poolAccountId,
        m.mandateId,
        type,
        amount,
        randomUUID(),
      );
      expect(count).toBe(1);
      throw new Rollback("rolled back on purpose");
    });
    await expect(inserted).rejects.toBeInstanceOf(Rollback);
    expect((await reconcileAccount(m.poolAccountId)).count).toBe(1);
  });

  it("ledger_post cannot be called around the check: a negative CREDIT books nothing", async () => {
    const m = await createTestMandate({ balance: "1" });
    const row = JSON.stringify({
      transaction_type: "CREDIT",
      amount: "-5",
      description: "sneaky",
      idempotency_key: randomUUID(),
      request_hash: "hash",
    });
    const err = await refusal(
      ownerPrisma.$queryRaw`SELECT * FROM ledger_post(${m.poolAccountId}::uuid,
        jsonb_populate_record(NULL::billing_transaction, ${row}::jsonb), false)`,
    );
    expect(err.sqlState).toBe("23514");
    expect(err.message).toContain(SIGN_CHECK);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "1.000000", sum: "1.000000", count: 1 });
  });
});

describe("billing_account uniqueness", () => {
  const UNIQUE_INDEX = "billing_account_mandate_id_user_id_key";

  it("refuses a second pool account (user_id NULL) for the same mandate", async () => {
    const m = await createTestMandate({ balance: "1" });

    const raw = await refusal(
      ownerPrisma.$executeRaw`INSERT INTO billing_account (mandate_id, user_id) VALUES (${m.mandateId}::uuid, NULL)`,
    );
    expect(raw.sqlState).toBe("23505");
    expect(raw.message).toContain(UNIQUE_INDEX);

    const orm = await refusal(ownerPrisma.billingAccount.create({ data: { mandateId: m.mandateId, userId: null } }));
    expect(orm.message).toContain(UNIQUE_INDEX);

    const pools = await ownerPrisma.billingAccount.findMany({ where: { mandateId: m.mandateId, userId: null } });
    expect(pools.map((p) => p.id)).toEqual([m.poolAccountId]);
  });

  it("refuses concurrent attempts to add a pool account: none gets through", async () => {
    const m = await createTestMandate();
    const results = await Promise.allSettled(
      Array.from(
        { length: 10 },
        () =>
          ownerPrisma.$executeRaw`INSERT INTO billing_account (mandate_id, user_id) VALUES (${m.mandateId}::uuid, NULL)`,
      ),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(await ownerPrisma.billingAccount.count({ where: { mandateId: m.mandateId, userId: null } })).toBe(1);
  });

  it("refuses a second audit account for the same user and mandate", async () => {
    const m = await createTestMandate({ balance: "1" });
    await bookUsage({ mandateId: m.mandateId, userId: m.adminId, amount: "0.1", idempotencyKey: randomUUID() });

    const raw = await refusal(
      ownerPrisma.$executeRaw`INSERT INTO billing_account (mandate_id, user_id) VALUES (${m.mandateId}::uuid, ${m.adminId}::uuid)`,
    );
    expect(raw.sqlState).toBe("23505");
    expect(raw.message).toContain(UNIQUE_INDEX);
    expect(await ownerPrisma.billingAccount.count({ where: { mandateId: m.mandateId, userId: m.adminId } })).toBe(1);
  });
});
