import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { findSqlState } from "@/lib/ledger/ledger-sql";
import { ownerPrisma } from "@/testing/owner-connection";
import { createTestMandate } from "@/testing/test-factories";
import { getWordings } from "./get-wordings";
import { adjust, credit } from "./post-transaction";
import { LedgerWording, ledgerDescription } from "./wording";

/**
 * Every key with the sentence these bookings wrote before wordings existed. The description is
 * part of a booking's request hash, so a webhook delivered again after an upgrade must produce
 * the same text, or its retry would be refused as a different booking.
 */
const SENTENCES: [LedgerWording, string][] = [
  [{ key: "topUp", card: null }, "Top-up"],
  [{ key: "topUp", card: { brand: "visa", last4: "4242" } }, "Top-up by card visa •••• 4242"],
  [{ key: "topUp", card: { brand: null, last4: "0005" } }, "Top-up by card •••• 0005"],
  [{ key: "autoRecharge", card: null }, "Automatic recharge"],
  [
    { key: "autoRecharge", card: { brand: "mastercard", last4: "4444" } },
    "Automatic recharge by card mastercard •••• 4444",
  ],
  [{ key: "refund", stripeId: "re_3Abc" }, "Refund of a top-up (re_3Abc)"],
  [{ key: "disputeWithdrawn", stripeId: "du_1X" }, "Disputed top-up: funds withdrawn (du_1X)"],
  [{ key: "disputeReinstated", stripeId: "du_1X" }, "Dispute won: funds reinstated (du_1X)"],
  [{ key: "welcomeCredit" }, "Welcome credit"],
  [{ key: "bankTransfer" }, "Top-up by bank transfer"],
  [{ key: "planBudget", planNameDe: "Geschäft", planNameEn: "Business" }, "AI budget of plan Business"],
  [
    { key: "storageOverage", fromMB: "1024", toMB: "1536.5", includedMB: "2048", peakMB: "3584.5", period: "2026-11" },
    "Storage overage 1,024 MB → 1,536.5 MB above 2,048 MB included (peak 3,584.5 MB, period 2026-11)",
  ],
];

const REFERENCE_TYPE = {
  topUp: "PAYMENT",
  autoRecharge: "PAYMENT",
  refund: "PAYMENT",
  disputeWithdrawn: "PAYMENT",
  disputeReinstated: "PAYMENT",
  welcomeCredit: "SYSTEM",
  bankTransfer: "SYSTEM",
  planBudget: "SUBSCRIPTION",
  storageOverage: "STORAGE",
} as const;

async function wordingOf(transactionId: string, referenceType: string | null = "PAYMENT") {
  return (await getWordings([{ id: transactionId, referenceType }])).get(transactionId) ?? null;
}

describe("ledger wordings", () => {
  it("write the sentences the bookings always wrote", () => {
    for (const [wording, sentence] of SENTENCES) expect(ledgerDescription(wording), wording.key).toBe(sentence);
  });

  it("are the keys the database allows, no more and no fewer", async () => {
    // The keys are listed twice: in the zod union and in the table's CHECK (the database's own
    // guard). A key added to one only would fail every booking that writes it, or let through one
    // that no page can render.
    const [check] = await ownerPrisma.$queryRaw<{ definition: string }[]>`
      SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conname = 'billing_transaction_wording_key_check'`;
    const allowed = [...(check?.definition ?? "").matchAll(/'([^']+)'::text/g)].map((m) => m[1]).sort();
    const known = LedgerWording.options.map((option) => option.shape.key.value).sort();
    expect(allowed).toEqual(known);
    expect(Object.keys(REFERENCE_TYPE).sort()).toEqual(known);
  });

  it("are stored with their booking, once, and replays change nothing", async () => {
    const m = await createTestMandate();
    const wording: LedgerWording = { key: "topUp", card: { brand: "visa", last4: "4242" } };
    const opts = {
      accountId: m.poolAccountId,
      amount: "25",
      idempotencyKey: randomUUID(),
      wording,
      // Not PAYMENT: the reconciliation would look for the payment (the wording does not care).
      referenceType: "SYSTEM" as const,
    };
    const first = await credit(opts);
    const replay = await credit(opts);
    expect(replay).toMatchObject({ transactionId: first.transactionId, replayed: true });
    const tx = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: first.transactionId } });
    expect(tx.description).toBe("Top-up by card visa •••• 4242");
    expect(await wordingOf(first.transactionId, "SYSTEM")).toEqual(wording);
    expect(await prisma.billingTransactionWording.count({ where: { transactionId: first.transactionId } })).toBe(1);

    // An adjustment can be worded too (refunds, disputes); one without a wording has none.
    const refund = await adjust({
      accountId: m.poolAccountId,
      amount: "-5",
      idempotencyKey: randomUUID(),
      wording: { key: "refund", stripeId: "re_9" },
      referenceType: "SYSTEM",
      createdByUserId: null,
    });
    expect(await wordingOf(refund.transactionId, "SYSTEM")).toEqual({ key: "refund", stripeId: "re_9" });
    const typed = await adjust({
      accountId: m.poolAccountId,
      amount: "1",
      idempotencyKey: randomUUID(),
      reason: "Kulanz",
      createdByUserId: null,
    });
    expect(await wordingOf(typed.transactionId, "ADMIN")).toBeNull();
  });

  it("roll back with their booking", async () => {
    const m = await createTestMandate();
    const idempotencyKey = randomUUID();
    const rolledBack = new Error("caller failed after booking");
    await expect(
      prisma.$transaction(async (tx) => {
        await credit({
          tx,
          accountId: m.poolAccountId,
          amount: "3",
          idempotencyKey,
          wording: { key: "welcomeCredit" },
        });
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await prisma.billingTransaction.count({ where: { accountId: m.poolAccountId, idempotencyKey } })).toBe(0);
    const booked = await prisma.billingTransaction.findMany({
      where: { accountId: m.poolAccountId },
      select: { id: true },
    });
    expect(
      await prisma.billingTransactionWording.count({ where: { transactionId: { in: booked.map((t) => t.id) } } }),
    ).toBe(0);
  });

  it("are append-only, for the app and for the owner", async () => {
    const m = await createTestMandate();
    const { transactionId } = await credit({
      accountId: m.poolAccountId,
      amount: "1",
      idempotencyKey: randomUUID(),
      wording: { key: "bankTransfer" },
      referenceType: "SYSTEM",
    });
    const change = `UPDATE billing_transaction_wording SET key = 'welcomeCredit' WHERE transaction_id = '${transactionId}'`;
    const remove = `DELETE FROM billing_transaction_wording WHERE transaction_id = '${transactionId}'`;
    for (const sql of [change, remove]) {
      expect(findSqlState(await prisma.$executeRawUnsafe(sql).catch((e: unknown) => e)), sql).toBe("42501");
      expect(findSqlState(await ownerPrisma.$executeRawUnsafe(sql).catch((e: unknown) => e)), sql).toBe("BL405");
    }
    expect(await wordingOf(transactionId, "SYSTEM")).toEqual({ key: "bankTransfer" });
  });

  it("are recovered for rows booked before them (the migration's backfill)", async () => {
    const m = await createTestMandate();
    // Rolled back at the end: payment rows without their payment would be drift for the reconciliation.
    const checked = new Error("checked; roll back");
    await expect(
      ownerPrisma.$transaction(
        async (tx) => {
          const legacy: { id: string; wording: LedgerWording | null }[] = [];
          // Booked as before: the sentence only. This plan has no period credit: its name comes from the sentence.
          for (const [wording, sentence] of SENTENCES) {
            const booking = await credit({
              tx,
              accountId: m.poolAccountId,
              amount: "1",
              idempotencyKey: randomUUID(),
              description: sentence,
              referenceType: REFERENCE_TYPE[wording.key],
            });
            const expected: LedgerWording =
              wording.key === "planBudget" ? { ...wording, planNameDe: wording.planNameEn } : wording;
            legacy.push({ id: booking.transactionId, wording: expected });
          }
          // Text a person typed, and a sentence under another reference type or of another form, stay unworded.
          for (const [description, referenceType] of [
            ["Kulanz Ticket 17", "ADMIN"],
            ["Welcome credit", "ADMIN"],
            ["Top-up by cheque", "PAYMENT"],
          ] as const) {
            const booking = await credit({
              tx,
              accountId: m.poolAccountId,
              amount: "1",
              idempotencyKey: randomUUID(),
              description,
              referenceType,
            });
            legacy.push({ id: booking.transactionId, wording: null });
          }

          await tx.$executeRawUnsafe(backfillSql());
          const stored = await tx.billingTransactionWording.findMany({
            where: { transactionId: { in: legacy.map((row) => row.id) } },
          });
          const found = new Map(stored.map((row) => [row.transactionId, { ...(row.values as object), key: row.key }]));
          for (const row of legacy) expect(found.get(row.id) ?? null, row.wording?.key ?? row.id).toEqual(row.wording);
          throw checked;
        },
        { timeout: 60_000 },
      ),
    ).rejects.toBe(checked);
  });
});

/** The backfill statement of migration 20261208000000_transaction_wording, between its markers. */
function backfillSql(): string {
  const file = path.resolve("prisma/migrations/20261208000000_transaction_wording/migration.sql");
  const match = /-- wording-backfill:begin\n([\s\S]+?)-- wording-backfill:end/.exec(readFileSync(file, "utf8"));
  if (!match?.[1]) throw new Error("backfill markers not found in the migration");
  return match[1];
}
