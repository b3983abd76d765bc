import { DomainError } from "@/lib/errors";
import { wordingMB, type LedgerWording } from "@/lib/ledger/wording";
import { compare, max, mulRate, sub, toMoneyString } from "@/lib/money/money";
import { businessMonthLabel, businessMonthStart } from "@/lib/stats/business-calendar";

/**
 * Storage overage, computed without a database (docs/storage-overage.md). Volumes are MB as
 * decimal strings with at most six decimals; they share lib/money's exact decimal type and
 * scale, so no JavaScript number ever holds a volume or a price.
 *
 * Per billing period the mandate pays for its peak volume above the included volume, once:
 * only the part of the overage not billed yet is debited. Each debit is
 * price(billedUpTo after) − price(billedUpTo before), with price() rounded half-even to six
 * decimals, so the debits of a period telescope to price(total overage) exactly, however
 * small the steps (rounding each step's own price would drift).
 */

/** End-customer price for storage above the included volume, CHF per GB per month (seed spec). */
export const STORAGE_PRICE_PER_GB_CHF = "0.50";
/** Binary gigabytes, as storage is usually measured: 1 GB = 1024 MB. */
export const MB_PER_GB = 1024;
/** 0.50 / 1024, exact in decimal (a test keeps it in step with the two constants above). */
export const STORAGE_PRICE_PER_MB_CHF = "0.00048828125";
/** Platform default included volume when the mandate's settings leave it null. */
const DEFAULT_STORAGE_INCLUDED_MB = "1024";

/**
 * A volume in MB: at most 12 integer digits (≈ 1 EB; its price stays below the ledger's booking
 * limit and fits numeric(20,6)) and 6 decimals, no sign, no exponent.
 */
export const VOLUME_MB = /^(0|[1-9]\d{0,11})(\.\d{1,6})?$/;

export interface StorageState {
  /** Start of the period the watermark belongs to; null before the first report. */
  periodStart: Date | null;
  highWatermarkMB: string;
  billedUpToMB: string;
}

export interface StorageReading {
  periodStart: Date;
  volumeMB: string;
  includedMB: string;
}

export interface StorageOutcome {
  periodStart: Date;
  /** The reading opened a new period: watermark and billed overage started again from zero. */
  periodReset: boolean;
  highWatermarkMB: string;
  overageMB: string;
  /** Overage MB already billed before this reading (after a reset: zero). */
  billedFromMB: string;
  billedUpToMB: string;
  /** CHF to debit now; "0.000000" when nothing is owed. */
  debitAmount: string;
  /** Whether the stored state must be written (a repeated reading changes nothing). */
  changed: boolean;
}

/** Parses a volume in MB (for the API and the domain alike); VALIDATION_FAILED names the field. */
export function parseVolumeMB(value: string, path = "volumeMB"): string {
  if (!VOLUME_MB.test(value)) {
    const message = "must be a decimal string ≥ 0 with at most 12 integer digits and 6 decimals";
    throw new DomainError("VALIDATION_FAILED", `${path} ${message}`, [{ path, message }]);
  }
  return toMoneyString(value);
}

/** The included volume when a mandate has none of its own: env STORAGE_INCLUDED_MB, else 1024. */
export function platformIncludedMB(env: Record<string, string | undefined> = process.env): string {
  const value = env.STORAGE_INCLUDED_MB?.trim() || DEFAULT_STORAGE_INCLUDED_MB;
  // A broken setting must not silently bill everything (or nothing): fail loudly.
  if (!VOLUME_MB.test(value)) throw new Error(`STORAGE_INCLUDED_MB is not a volume in MB: "${value}"`);
  return toMoneyString(value);
}

/** Until subscription plans exist, a period is the calendar month in Europe/Zurich of the reading. */
export function defaultPeriodStart(reportedAt: Date): Date {
  return businessMonthStart(reportedAt);
}

/** CHF for an overage held for one period, rounded half-even to six decimals. */
export function storagePrice(overageMB: string): string {
  return toMoneyString(mulRate(overageMB, STORAGE_PRICE_PER_MB_CHF));
}

export function storageOverage(peakMB: string, includedMB: string): string {
  return toMoneyString(max("0", sub(peakMB, includedMB)));
}

/**
 * Applies one reading to the stored state. A reading for an earlier period than the stored one
 * is refused (STALE_STORAGE_PERIOD): it would otherwise reopen a closed period and bill it again.
 */
export function applyStorageReading(state: StorageState, reading: StorageReading): StorageOutcome {
  const stored = state.periodStart?.getTime() ?? null;
  const incoming = reading.periodStart.getTime();
  if (stored !== null && incoming < stored) {
    throw new DomainError("STALE_STORAGE_PERIOD", "the report belongs to a period before the current one", {
      periodStart: reading.periodStart.toISOString(),
      currentPeriodStart: state.periodStart?.toISOString(),
    });
  }
  const periodReset = stored === null || incoming > stored;
  const watermarkBefore = periodReset ? "0" : state.highWatermarkMB;
  const billedFromMB = toMoneyString(periodReset ? "0" : state.billedUpToMB);

  // Shrinking never refunds: the peak of the period is what is billed.
  const highWatermarkMB = toMoneyString(max(watermarkBefore, reading.volumeMB));
  const overageMB = storageOverage(highWatermarkMB, reading.includedMB);
  // The included volume may have been raised mid-period: then the overage can fall below what
  // was billed, which stays billed (no refund) and is not billed again.
  const billedUpToMB = compare(overageMB, billedFromMB) > 0 ? overageMB : billedFromMB;
  const debitAmount = toMoneyString(sub(storagePrice(billedUpToMB), storagePrice(billedFromMB)));

  const changed =
    periodReset ||
    compare(highWatermarkMB, state.highWatermarkMB) !== 0 ||
    compare(billedUpToMB, state.billedUpToMB) !== 0;
  return {
    periodStart: reading.periodStart,
    periodReset,
    highWatermarkMB,
    overageMB,
    billedFromMB,
    billedUpToMB,
    debitAmount,
    changed,
  };
}

/**
 * What a storage debit says (lib/ledger/wording.ts): the MB billed from and up to, the included
 * volume, the peak and the period. Its English sentence reads e.g. "Storage overage 512 MB →
 * 1,024 MB above 1,024 MB included (peak 2,048 MB, period 2026-11)".
 */
export function storageDebitWording(outcome: StorageOutcome, includedMB: string): LedgerWording {
  return {
    key: "storageOverage",
    fromMB: wordingMB(outcome.billedFromMB),
    toMB: wordingMB(outcome.billedUpToMB),
    includedMB: wordingMB(includedMB),
    peakMB: wordingMB(outcome.highWatermarkMB),
    period: periodLabel(outcome.periodStart),
  };
}

/** "2026-11" for a calendar month in Zurich (the period until plans exist), otherwise the full ISO start. */
export function periodLabel(periodStart: Date): string {
  return periodStart.getTime() === defaultPeriodStart(periodStart).getTime()
    ? businessMonthLabel(periodStart)
    : periodStart.toISOString();
}
