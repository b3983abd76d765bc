import { describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/errors";
import { add, mulRate, toMoney, toMoneyString } from "@/lib/money/money";
import {
  MB_PER_GB,
  STORAGE_PRICE_PER_GB_CHF,
  STORAGE_PRICE_PER_MB_CHF,
  applyStorageReading,
  defaultPeriodStart,
  storageDebitWording,
  parseVolumeMB,
  periodLabel,
  platformIncludedMB,
  storageOverage,
  storagePrice,
  type StorageState,
} from "./storage-overage";
import { formatMB, ledgerDescription } from "@/lib/ledger/wording";

// Calendar months in Europe/Zurich (UTC+1 in winter).
const NOV = new Date("2026-10-31T23:00:00Z");
const DEC = new Date("2026-11-30T23:00:00Z");
const INCLUDED = "1024.000000";
const fresh: StorageState = { periodStart: null, highWatermarkMB: "0.000000", billedUpToMB: "0.000000" };

/** Applies readings one after the other, as the database would keep the state between them. */
function run(readings: { volumeMB: string; periodStart?: Date; includedMB?: string }[], start = fresh) {
  let state = start;
  return readings.map((r) => {
    const outcome = applyStorageReading(state, {
      periodStart: r.periodStart ?? NOV,
      volumeMB: toMoneyString(r.volumeMB),
      includedMB: r.includedMB ?? INCLUDED,
    });
    state = {
      periodStart: outcome.periodStart,
      highWatermarkMB: outcome.highWatermarkMB,
      billedUpToMB: outcome.billedUpToMB,
    };
    return outcome;
  });
}

describe("price", () => {
  it("is 0.50 CHF per GB of 1024 MB, the per-MB rate exact", () => {
    expect(toMoney(STORAGE_PRICE_PER_GB_CHF).dividedBy(MB_PER_GB).equals(STORAGE_PRICE_PER_MB_CHF)).toBe(true);
    expect(storagePrice("1024")).toBe("0.500000");
    expect(storagePrice("512")).toBe("0.250000");
    expect(storagePrice("0")).toBe("0.000000");
    expect(storagePrice("10240")).toBe("5.000000");
  });

  it("rounds half-even to six decimals", () => {
    // 1 MB = 0.00048828125 CHF → 0.000488; 0.004096 MB = 0.000002 exactly.
    expect(storagePrice("1")).toBe("0.000488");
    expect(storagePrice("0.004096")).toBe("0.000002");
    // 0.001024 MB = 0.0000005 exactly: a tie, rounds to the even 0.000000; 0.003072 MB = 0.0000015 → 0.000002.
    expect(storagePrice("0.001024")).toBe("0.000000");
    expect(storagePrice("0.003072")).toBe("0.000002");
  });

  it("overage is max(0, peak − included)", () => {
    expect(storageOverage("1000", "1024")).toBe("0.000000");
    expect(storageOverage("1024", "1024")).toBe("0.000000");
    expect(storageOverage("1536.25", "1024")).toBe("512.250000");
  });
});

describe("applyStorageReading", () => {
  it("below the included volume: watermark kept, nothing billed", () => {
    const [o] = run([{ volumeMB: "800" }]);
    expect(o).toMatchObject({
      periodReset: true,
      highWatermarkMB: "800.000000",
      overageMB: "0.000000",
      billedUpToMB: "0.000000",
      debitAmount: "0.000000",
      changed: true,
    });
  });

  it("exactly at the included volume: nothing billed", () => {
    const [o] = run([{ volumeMB: "1024" }]);
    expect(o).toMatchObject({ highWatermarkMB: "1024.000000", overageMB: "0.000000", debitAmount: "0.000000" });
  });

  it("growth bills only the overage not billed yet", () => {
    const outcomes = run([{ volumeMB: "1536" }, { volumeMB: "2048" }, { volumeMB: "3072" }]);
    expect(outcomes.map((o) => [o.billedFromMB, o.billedUpToMB, o.debitAmount])).toEqual([
      ["0.000000", "512.000000", "0.250000"],
      ["512.000000", "1024.000000", "0.250000"],
      ["1024.000000", "2048.000000", "0.500000"],
    ]);
  });

  it("shrinking never refunds and keeps the watermark", () => {
    const [, shrunk, regrown] = run([{ volumeMB: "2048" }, { volumeMB: "1100" }, { volumeMB: "2000" }]);
    expect(shrunk).toMatchObject({
      highWatermarkMB: "2048.000000",
      billedUpToMB: "1024.000000",
      debitAmount: "0.000000",
    });
    expect(shrunk?.changed).toBe(false);
    expect(regrown).toMatchObject({ highWatermarkMB: "2048.000000", debitAmount: "0.000000", changed: false });
  });

  it("a repeated reading books nothing and changes nothing", () => {
    const [first, again] = run([{ volumeMB: "2048" }, { volumeMB: "2048" }]);
    expect(first?.debitAmount).toBe("0.500000");
    expect(again).toMatchObject({ periodReset: false, debitAmount: "0.000000", changed: false });
  });

  it("a new period resets watermark and billed overage before applying the reading", () => {
    const [nov, dec] = run([{ volumeMB: "3072" }, { volumeMB: "2048", periodStart: DEC }]);
    expect(nov?.debitAmount).toBe("1.000000");
    expect(dec).toMatchObject({
      periodStart: DEC,
      periodReset: true,
      billedFromMB: "0.000000",
      highWatermarkMB: "2048.000000",
      billedUpToMB: "1024.000000",
      debitAmount: "0.500000",
    });
  });

  it("a reading for an earlier period is STALE_STORAGE_PERIOD", () => {
    const state: StorageState = { periodStart: DEC, highWatermarkMB: "2048.000000", billedUpToMB: "1024.000000" };
    let caught: unknown;
    try {
      applyStorageReading(state, { periodStart: NOV, volumeMB: "4096.000000", includedMB: INCLUDED });
    } catch (err) {
      caught = err;
    }
    expect(isDomainError(caught, "STALE_STORAGE_PERIOD")).toBe(true);
  });

  it("a raised included volume mid-period neither refunds nor bills the same MB twice", () => {
    const [, raised, grown] = run([
      { volumeMB: "3072" },
      { volumeMB: "3072", includedMB: "2048" },
      { volumeMB: "4096", includedMB: "2048" },
    ]);
    expect(raised).toMatchObject({ overageMB: "1024.000000", billedUpToMB: "2048.000000", debitAmount: "0.000000" });
    expect(grown).toMatchObject({ overageMB: "2048.000000", billedUpToMB: "2048.000000", debitAmount: "0.000000" });
  });

  it("many small increments sum exactly to the price of the total overage", () => {
    // 1 MB steps: each alone would round 0.00048828125 down to 0.000488 and lose 0.000288 CHF per GB.
    const steps = Array.from({ length: 3 * 1024 }, (_, i) => ({ volumeMB: String(1024 + i + 1) }));
    const outcomes = run(steps);
    const total = outcomes.reduce((sum, o) => add(sum, o.debitAmount), toMoney("0"));
    expect(toMoneyString(total)).toBe("1.500000");
    expect(toMoneyString(total)).toBe(storagePrice("3072"));
    const naive = outcomes.reduce((sum) => add(sum, mulRate("1", STORAGE_PRICE_PER_MB_CHF)), toMoney("0"));
    expect(toMoneyString(naive)).toBe("1.499136");
  });

  it("increments too small to cost a micro-franc each are still billed once they add up", () => {
    // 0.001 MB = 0.00000048828125 CHF, rounds to 0 alone; 5000 of them are 5 MB = 0.002441 CHF.
    const steps = Array.from({ length: 5000 }, (_, i) => ({
      volumeMB: toMoneyString(add("1024", toMoney("0.001").times(i + 1))),
    }));
    const outcomes = run(steps);
    expect(outcomes.filter((o) => o.debitAmount === "0.000000").length).toBeGreaterThan(2500);
    const total = outcomes.reduce((sum, o) => add(sum, o.debitAmount), toMoney("0"));
    expect(toMoneyString(total)).toBe(storagePrice("5"));
    expect(storagePrice("5")).toBe("0.002441");
  });

  it("irregular increments with decimals sum exactly too", () => {
    const volumes = ["1024.000001", "1030.123456", "1030.123457", "1500.5", "1500.500001", "2047.999999", "2048"];
    const total = run(volumes.map((volumeMB) => ({ volumeMB }))).reduce(
      (sum, o) => add(sum, o.debitAmount),
      toMoney("0"),
    );
    expect(toMoneyString(total)).toBe("0.500000");
  });
});

describe("inputs and wording", () => {
  it.each([["-1"], ["NaN"], ["1.0000001"], ["1e3"], [""], [" 1"], ["01"], ["1000000000000"]])(
    "rejects the volume %j",
    (value) => {
      expect(() => parseVolumeMB(value)).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
    },
  );

  it("accepts zero and up to six decimals", () => {
    expect(parseVolumeMB("0")).toBe("0.000000");
    expect(parseVolumeMB("1536.123456")).toBe("1536.123456");
    expect(parseVolumeMB("999999999999.999999")).toBe("999999999999.999999");
  });

  it("the platform default comes from STORAGE_INCLUDED_MB, else 1024", () => {
    expect(platformIncludedMB({})).toBe("1024.000000");
    expect(platformIncludedMB({ STORAGE_INCLUDED_MB: "" })).toBe("1024.000000");
    expect(platformIncludedMB({ STORAGE_INCLUDED_MB: "5120.5" })).toBe("5120.500000");
    expect(() => platformIncludedMB({ STORAGE_INCLUDED_MB: "5 GB" })).toThrow(/STORAGE_INCLUDED_MB/);
  });

  it("the period is the calendar month in Europe/Zurich of the reading, summer and winter", () => {
    expect(defaultPeriodStart(new Date("2026-11-30T22:59:59.999Z"))).toEqual(NOV);
    expect(defaultPeriodStart(new Date("2026-11-30T23:00:00Z"))).toEqual(DEC);
    expect(defaultPeriodStart(new Date("2026-12-01T00:00:00Z"))).toEqual(DEC);
    // Summer time (UTC+2): July starts at 22:00 UTC on 30 June; March (winter) at 23:00 UTC.
    expect(defaultPeriodStart(new Date("2026-07-15T12:00:00Z"))).toEqual(new Date("2026-06-30T22:00:00Z"));
    expect(defaultPeriodStart(new Date("2026-03-31T23:30:00Z"))).toEqual(new Date("2026-03-31T22:00:00Z"));
    expect(defaultPeriodStart(new Date("2026-03-15T12:00:00Z"))).toEqual(new Date("2026-02-28T23:00:00Z"));
    expect(periodLabel(NOV)).toBe("2026-11");
    expect(periodLabel(DEC)).toBe("2026-12");
    expect(periodLabel(new Date("2026-11-15T00:00:00Z"))).toBe("2026-11-15T00:00:00.000Z");
  });

  it("describes a debit with grouped MB and the period", () => {
    const [, o] = run([{ volumeMB: "2560" }, { volumeMB: "3072" }]);
    const wording = o && storageDebitWording(o, INCLUDED);
    expect(wording).toEqual({
      key: "storageOverage",
      fromMB: "1536",
      toMB: "2048",
      includedMB: "1024",
      peakMB: "3072",
      period: "2026-11",
    });
    expect(wording && ledgerDescription(wording)).toBe(
      "Storage overage 1,536 MB → 2,048 MB above 1,024 MB included (peak 3,072 MB, period 2026-11)",
    );
    expect(formatMB("1234567.500000")).toBe("1,234,567.5");
    expect(formatMB("0.000001")).toBe("0.000001");
  });
});
