import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

// Concurrent reports each hold a connection while they queue on the settings lock; must be set
// before lib/db/client is imported (vi.hoisted runs above the imports; each file has its own process).
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "24";
});

import { prisma } from "@/lib/db/client";
import { createTestMandate, setAccountEnabled } from "@/testing/test-factories";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { add, toMoney, toMoneyString } from "@/lib/money/money";
import { reportStorage, STORAGE_KEY_PREFIX, type ReportStorageOptions } from "./report-storage";
import { getStorageState } from "@/testing/storage-state";
import { defaultPeriodStart, storagePrice } from "./storage-overage";
import { IdempotencyKey, requireIdempotencyKey } from "@/lib/ledger/idempotency-key";

// Past periods, so no reading lies in the future whenever the suite runs. A period is a calendar
// month in Europe/Zurich (UTC+1 in winter): November 2025 starts at 2025-10-31T23:00Z.
const NOV = new Date("2025-10-31T23:00:00Z");
const DEC = new Date("2025-11-30T23:00:00Z");
const IN_NOV = new Date("2025-11-20T10:00:00Z");
const IN_DEC = new Date("2025-12-03T10:00:00Z");

afterEach(() => {
  vi.unstubAllEnvs();
});

function report(mandateId: string, volumeMB: string, extra: Partial<ReportStorageOptions> = {}) {
  return reportStorage({ mandateId, volumeMB, reportedAt: IN_NOV, ...extra });
}

async function storageRows(mandateId: string) {
  return prisma.billingTransaction.findMany({
    where: { mandateId, referenceType: "STORAGE" },
    orderBy: { createdAt: "asc" },
  });
}

describe("reportStorage", () => {
  it("below and exactly at the included volume: watermark stored, nothing booked", async () => {
    const m = await createTestMandate({ balance: "10" });
    const below = await report(m.mandateId, "800");
    expect(below).toEqual({
      mandateId: m.mandateId,
      periodStart: NOV,
      volumeMB: "800.000000",
      highWatermarkMB: "800.000000",
      includedMB: "1024.000000",
      billedUpToMB: "0.000000",
      debitedAmount: "0.000000",
      transactionId: null,
      balanceAfter: "10.000000",
    });
    const at = await report(m.mandateId, "1024");
    expect(at).toMatchObject({ highWatermarkMB: "1024.000000", debitedAmount: "0.000000", transactionId: null });
    expect(await getStorageState(m.mandateId)).toEqual({
      periodStart: NOV,
      highWatermarkMB: "1024.000000",
      billedUpToMB: "0.000000",
      includedMB: null,
    });
    expect(await storageRows(m.mandateId)).toHaveLength(0);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "10.000000", sum: "10.000000", count: 1 });
  });

  it("growth debits only the new overage, as STORAGE transactions on the pool", async () => {
    const m = await createTestMandate({ balance: "10" });
    const a = await report(m.mandateId, "1536", { idempotencyKey: "gw-report-1" });
    const b = await report(m.mandateId, "2048");
    const c = await report(m.mandateId, "3072");
    expect([a, b, c].map((r) => [r.billedUpToMB, r.debitedAmount, r.balanceAfter])).toEqual([
      ["512.000000", "0.250000", "9.750000"],
      ["1024.000000", "0.250000", "9.500000"],
      ["2048.000000", "0.500000", "9.000000"],
    ]);
    const rows = await storageRows(m.mandateId);
    expect(rows.map((t) => t.id)).toEqual([a.transactionId, b.transactionId, c.transactionId]);
    expect(rows[0]).toMatchObject({
      accountId: m.poolAccountId,
      transactionType: "DEBIT",
      referenceType: "STORAGE",
      referenceId: "gw-report-1",
      idempotencyKey: "storage 2025-10-31T23:00:00.000Z 512.000000",
      description: "Storage overage 0 MB → 512 MB above 1,024 MB included (peak 1,536 MB, period 2025-11)",
    });
    expect(rows[2]?.description).toBe(
      "Storage overage 1,024 MB → 2,048 MB above 1,024 MB included (peak 3,072 MB, period 2025-11)",
    );
    expect(rows.map((t) => t.amount.toFixed(6))).toEqual(["0.250000", "0.250000", "0.500000"]);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "9.000000", sum: "9.000000", count: 4 });
  });

  it("shrinking and repeating a report book nothing and keep the watermark", async () => {
    const m = await createTestMandate({ balance: "10" });
    await report(m.mandateId, "2048");
    const before = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    const repeated = await report(m.mandateId, "2048");
    const shrunk = await report(m.mandateId, "1100");
    for (const r of [repeated, shrunk]) {
      expect(r).toMatchObject({
        highWatermarkMB: "2048.000000",
        billedUpToMB: "1024.000000",
        debitedAmount: "0.000000",
        transactionId: null,
        balanceAfter: "9.500000",
      });
    }
    // Nothing was written at all: the settings row is untouched.
    const after = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: m.mandateId } });
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(await storageRows(m.mandateId)).toHaveLength(1);
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("9.500000");
  });

  it("a new period resets the watermark and bills its overage again", async () => {
    const m = await createTestMandate({ balance: "10" });
    await report(m.mandateId, "3072");
    const dec = await report(m.mandateId, "2048", { reportedAt: IN_DEC });
    expect(dec).toMatchObject({
      periodStart: DEC,
      highWatermarkMB: "2048.000000",
      billedUpToMB: "1024.000000",
      debitedAmount: "0.500000",
      balanceAfter: "8.500000",
    });
    const rows = await storageRows(m.mandateId);
    expect(rows.map((t) => [t.idempotencyKey, t.amount.toFixed(6)])).toEqual([
      ["storage 2025-10-31T23:00:00.000Z 2048.000000", "1.000000"],
      ["storage 2025-11-30T23:00:00.000Z 1024.000000", "0.500000"],
    ]);
    expect(rows[1]?.description).toContain("period 2025-12");
    expect(await getStorageState(m.mandateId)).toMatchObject({ periodStart: DEC, highWatermarkMB: "2048.000000" });
  });

  it("a report for an older period is STALE_STORAGE_PERIOD and books nothing", async () => {
    const m = await createTestMandate({ balance: "10" });
    await report(m.mandateId, "2048", { reportedAt: IN_DEC });
    const state = await getStorageState(m.mandateId);
    await expect(report(m.mandateId, "9999")).rejects.toMatchObject({ code: "STALE_STORAGE_PERIOD" });
    expect(await getStorageState(m.mandateId)).toEqual(state);
    expect(await storageRows(m.mandateId)).toHaveLength(1);
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe("9.500000");
  });

  it("concurrent identical reports bill once", async () => {
    const m = await createTestMandate({ balance: "10" });
    const results = await Promise.all(Array.from({ length: 20 }, () => report(m.mandateId, "3072")));
    expect(results.filter((r) => r.transactionId !== null)).toHaveLength(1);
    expect(results.filter((r) => r.debitedAmount === "1.000000")).toHaveLength(1);
    expect(await storageRows(m.mandateId)).toHaveLength(1);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "9.000000", sum: "9.000000", count: 2 });
    expect(await getStorageState(m.mandateId)).toMatchObject({ billedUpToMB: "2048.000000" });
  });

  it("concurrent growing reports bill exactly the price of the peak overage", async () => {
    const m = await createTestMandate({ balance: "10" });
    // 1024 + k × 51.2 MB for k = 0..19, in shuffled order.
    const volumes = Array.from({ length: 20 }, (_, i) =>
      toMoneyString(add("1024", toMoney("51.2").times((i * 7919) % 20))),
    );
    const results = await Promise.all(volumes.map((v) => report(m.mandateId, v)));
    const debited = results.reduce((sum, r) => add(sum, r.debitedAmount), toMoney("0"));
    expect(toMoneyString(debited)).toBe(storagePrice("972.8"));
    const rows = await storageRows(m.mandateId);
    expect(new Set(rows.map((t) => t.idempotencyKey)).size).toBe(rows.length);
    expect((await reconcileAccount(m.poolAccountId)).balance).toBe(toMoneyString(toMoney("10").minus(debited)));
    expect(await getStorageState(m.mandateId)).toMatchObject({
      highWatermarkMB: "1996.800000",
      billedUpToMB: "972.800000",
    });
  });

  it("a step booked already is never booked twice, even if its settings update was lost", async () => {
    const m = await createTestMandate({ balance: "10" });
    const first = await report(m.mandateId, "2048");
    // As if the settings had not recorded the debit: the ledger's key for the step still holds.
    await prisma.billingSettings.update({
      where: { mandateId: m.mandateId },
      data: { storageHighWatermarkMB: "0", storageBilledUpToMB: "0" },
    });
    const again = await report(m.mandateId, "2048");
    expect(again).toMatchObject({ billedUpToMB: "1024.000000", debitedAmount: "0.000000", transactionId: null });
    expect((await storageRows(m.mandateId)).map((t) => t.id)).toEqual([first.transactionId]);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "9.500000", sum: "9.500000", count: 2 });
    expect(await getStorageState(m.mandateId)).toMatchObject({ billedUpToMB: "1024.000000" });
  });

  it("many small increments debit exactly the price of the total, not the sum of rounded steps", async () => {
    const m = await createTestMandate({ balance: "10" });
    // 1 MB costs 0.00048828125 CHF: rounding each step would book 50 × 0.000488 = 0.024400.
    for (let mb = 1; mb <= 50; mb++) await report(m.mandateId, String(1024 + mb));
    const rows = await storageRows(m.mandateId);
    const total = rows.reduce((sum, t) => add(sum, t.amount), toMoney("0"));
    expect(toMoneyString(total)).toBe("0.024414");
    expect(rows.length).toBe(50);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "9.975586", sum: "9.975586", count: 51 });
  });

  it("uses the mandate's included volume, else STORAGE_INCLUDED_MB", async () => {
    vi.stubEnv("STORAGE_INCLUDED_MB", "2048");
    const platform = await createTestMandate();
    expect(await report(platform.mandateId, "3072")).toMatchObject({
      includedMB: "2048.000000",
      billedUpToMB: "1024.000000",
      debitedAmount: "0.500000",
      balanceAfter: "-0.500000",
    });
    const own = await createTestMandate();
    await prisma.billingSettings.update({ where: { mandateId: own.mandateId }, data: { storageIncludedMB: "0" } });
    expect(await report(own.mandateId, "3072")).toMatchObject({ includedMB: "0.000000", debitedAmount: "1.500000" });
  });

  it("bills storage even when the pool is disabled for AI usage", async () => {
    const m = await createTestMandate({ balance: "10" });
    await setAccountEnabled(m.mandateId, m.poolAccountId, false);
    expect(await report(m.mandateId, "2048")).toMatchObject({ debitedAmount: "0.500000", balanceAfter: "9.500000" });
  });

  it("takes the period from reportedAt, the calendar month in Europe/Zurich, and reportedAt defaults to now", async () => {
    const m = await createTestMandate();
    const r = await reportStorage({ mandateId: m.mandateId, volumeMB: "100", reportedAt: IN_NOV });
    expect(r.periodStart).toEqual(NOV);
    // 00:30 on 1 December in Zurich is still 30 November in UTC: it belongs to December.
    const early = await reportStorage({
      mandateId: m.mandateId,
      volumeMB: "100",
      reportedAt: new Date("2025-11-30T23:30:00Z"),
    });
    expect(early.periodStart).toEqual(DEC);
    const before = new Date();
    const now = await reportStorage({ mandateId: m.mandateId, volumeMB: "100" });
    // Compared with the month before and after the call, in case it ran across a month's end.
    expect([defaultPeriodStart(before), defaultPeriodStart(new Date())]).toContainEqual(now.periodStart);
  });

  it.each([
    ["a negative volume", { volumeMB: "-1" }, "volumeMB"],
    ["an over-precise volume", { volumeMB: "2048.0000001" }, "volumeMB"],
    ["a reading from the future", { reportedAt: new Date(Date.now() + 3_600_000) }, "reportedAt"],
    ["an invalid idempotency key", { idempotencyKey: "with space" }, "idempotencyKey"],
    ["an invalid date", { reportedAt: new Date("November") }, "reportedAt"],
  ])("rejects %s and books nothing", async (_, extra, path) => {
    const m = await createTestMandate({ balance: "10" });
    await expect(report(m.mandateId, "4096", extra)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: [expect.objectContaining({ path })],
    });
    expect(await storageRows(m.mandateId)).toHaveLength(0);
    expect(await getStorageState(m.mandateId)).toMatchObject({ periodStart: null, highWatermarkMB: "0.000000" });
  });

  it("continues a period stored as a UTC month (before Zurich months) without billing it again", async () => {
    const m = await createTestMandate({ balance: "10" });
    await report(m.mandateId, "2048", { reportedAt: IN_DEC });
    await prisma.billingSettings.update({
      where: { mandateId: m.mandateId },
      data: { storagePeriodStartAt: new Date("2025-12-01T00:00:00Z") },
    });
    expect(await report(m.mandateId, "2048", { reportedAt: IN_DEC })).toMatchObject({
      periodStart: DEC,
      debitedAmount: "0.000000",
    });
    expect(await storageRows(m.mandateId)).toHaveLength(1);
  });

  it("a usage idempotency key can never take a storage step's key", async () => {
    const m = await createTestMandate({ balance: "10" });
    const stepKey = `${STORAGE_KEY_PREFIX}${NOV.toISOString()} 512.000000`;
    expect(() => requireIdempotencyKey(stepKey)).toThrow();
    expect(IdempotencyKey.safeParse(stepKey).success).toBe(false);
    const booked = await report(m.mandateId, "1536");
    const row = await prisma.billingTransaction.findUniqueOrThrow({ where: { id: booked.transactionId! } });
    expect(row.idempotencyKey).toBe(stepKey);
  });

  it("an unknown or malformed mandate is NOT_FOUND", async () => {
    await expect(report(randomUUID(), "4096")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(report("not-a-uuid", "4096")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
