import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { countTransactions, countTransactionsUpTo } from "./list-transactions";
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
