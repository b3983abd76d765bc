import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { countTransactions, countTransactionsUpTo, filterSql } from "./list-transactions";
import { credit, debit } from "./post-transaction";

/**
 * The dashboard's count stops at a cap ("10,000+"); the exact count stays for the export and for
 * the figure asked for. Expectations are the rows Prisma finds for the same account.
 */
let m: TestMandate;
const DEBITS = 7;

beforeAll(async () => {
  m = await createTestMandate({ balance: "100" });
  for (let i = 0; i < DEBITS; i++) {
    await debit({
      accountId: m.poolAccountId,
      amount: "0.5",
      idempotencyKey: `storage-${i}`,
      description: "storage",
      referenceType: "STORAGE",
    });
  }
  await credit({
    accountId: m.poolAccountId,
    amount: "5",
    idempotencyKey: "second-credit",
    description: "Top-up",
    referenceType: "SYSTEM",
  });
});

describe("countTransactionsUpTo", () => {
  it("counts exactly up to the cap and says when more rows match", async () => {
    const rows = await prisma.billingTransaction.count({ where: { accountId: m.poolAccountId } });
    expect(rows).toBe(DEBITS + 2);
    const filter = { mandateId: m.mandateId };
    expect(await countTransactionsUpTo(filter, rows)).toEqual({ total: rows, capped: false });
    expect(await countTransactionsUpTo(filter, rows + 10)).toEqual({ total: rows, capped: false });
    expect(await countTransactionsUpTo(filter, rows - 1)).toEqual({ total: rows - 1, capped: true });
    expect(await countTransactionsUpTo(filter, 3)).toEqual({ total: 3, capped: true });
    expect(await countTransactions(filter)).toBe(rows);
  });

  it("applies the list's filters: the credits alone, and nothing for a user who never spent", async () => {
    const credits = await prisma.billingTransaction.count({
      where: { accountId: m.poolAccountId, transactionType: "CREDIT" },
    });
    expect(credits).toBe(2);
    expect(await countTransactionsUpTo({ mandateId: m.mandateId, type: "CREDIT" }, 1)).toEqual({
      total: 1,
      capped: true,
    });
    expect(await countTransactionsUpTo({ mandateId: m.mandateId, type: "CREDIT" })).toEqual({
      total: credits,
      capped: false,
    });
    expect(await countTransactionsUpTo({ mandateId: m.mandateId, auditUserId: m.memberId })).toEqual({
      total: 0,
      capped: false,
    });
  });

  it("never counts another mandate's rows", async () => {
    const other = await createTestMandate({ balance: "1" });
    expect(await countTransactionsUpTo({ mandateId: other.mandateId })).toEqual({ total: 1, capped: false });
  });
});

describe("the type filter's index", () => {
  /**
   * Credits and adjustments are a handful among millions of debits: the list and the count of
   * them must read billing_transaction_not_debit_idx (prisma/migrations/20261207300000_dashboard_speed),
   * whose predicate the type's equality implies, rather than walk every row of the account. The
   * test table is small enough to read whole, so sequential scans are switched off for the plan.
   */
  it.each(["CREDIT", "ADJUSTMENT"] as const)("reads %s rows from the partial index", async (type) => {
    const where = filterSql(m.poolAccountId, { mandateId: m.mandateId, type });
    const plan = await ownerPrisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>`
        EXPLAIN SELECT 1 FROM billing_transaction t WHERE ${Prisma.join(where, " AND ")}
         ORDER BY t.booking_sequence DESC LIMIT 51`;
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("billing_transaction_not_debit_idx");
  });
});
