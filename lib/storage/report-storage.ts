import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { callLedgerPostWithin, requestHash, type TransactionRow } from "@/lib/ledger/ledger-sql";
import { requireIdempotencyKey } from "@/lib/ledger/idempotency-key";
import type { Booking } from "@/lib/ledger/types";
import { ledgerDescription } from "@/lib/ledger/wording";
import { toMoneyString } from "@/lib/money/money";
import {
  applyStorageReading,
  defaultPeriodStart,
  storageDebitWording,
  parseVolumeMB,
  platformIncludedMB,
  type StorageState,
} from "./storage-overage";
import { isUuid } from "@/lib/ids/uuid";

/**
 * A mandate's indexed data volume, as reported by the platform, and the overage debit it causes
 * (docs/storage-overage.md). The period is not the caller's to choose: it is the operative
 * subscription's billing period, or without a plan the calendar month in Europe/Zurich of
 * reportedAt. One report is one database transaction with the mandate's settings
 * row locked, so concurrent reports are applied one after the other and cannot bill twice.
 */
export interface ReportStorageOptions {
  mandateId: string;
  /** MB, decimal string ≥ 0 with at most 6 decimals. */
  volumeMB: string;
  /** The caller's own key for this report; recorded as the debit's reference. */
  idempotencyKey?: string | null;
  /** When the volume was measured; defaults to now. */
  reportedAt?: Date | null;
}

export interface StorageReport {
  mandateId: string;
  periodStart: Date;
  volumeMB: string;
  highWatermarkMB: string;
  includedMB: string;
  billedUpToMB: string;
  /** CHF debited by this report; "0.000000" when nothing was owed. */
  debitedAmount: string;
  transactionId: string | null;
  /** The pool account's balance after this report. */
  balanceAfter: string;
}

/**
 * Storage debits' idempotency keys start with "storage " (with a space). Usage idempotency keys are
 * printable ASCII without spaces (lib/ledger/idempotency-key.ts), so no usage key can take a
 * storage step's key on the pool, and block or fake its debit.
 */
export const STORAGE_KEY_PREFIX = "storage ";

/** A clock a little ahead of ours is tolerated; a measurement from the future is not. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

interface SettingsRow {
  pool_account_id: string;
  period_start: Date | null;
  /** The operative subscription's current period start; null without a plan. */
  subscription_period_start: Date | null;
  high_watermark_mb: string;
  billed_up_to_mb: string;
  included_mb: string | null;
}

export async function reportStorage(opts: ReportStorageOptions): Promise<StorageReport> {
  const volumeMB = parseVolumeMB(opts.volumeMB);
  const reference = opts.idempotencyKey == null ? null : requireIdempotencyKey(opts.idempotencyKey);
  const now = new Date();
  const reportedAt = opts.reportedAt ?? now;
  if (Number.isNaN(reportedAt.getTime())) throw invalid("reportedAt", "is not a valid date");
  if (reportedAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw invalid("reportedAt", "must not be in the future");
  }
  if (!isUuid(opts.mandateId)) throw new DomainError("NOT_FOUND", "mandate not found");
  const platformDefault = platformIncludedMB();

  return prisma.$transaction(
    async (tx) => {
      const settings = await lockSettings(tx, opts.mandateId);
      const includedMB = toMoneyString(settings.included_mb ?? platformDefault);
      // The subscription's billing period when the mandate runs on a plan (a paid period reset the
      // stored one already: lib/subscriptions/period-credit.ts), else the Zurich calendar month.
      const subscriptionStart = settings.subscription_period_start;
      const onPlan = subscriptionStart !== null && subscriptionStart <= reportedAt;
      const periodStart = onPlan ? subscriptionStart : defaultPeriodStart(reportedAt);
      const state: StorageState = {
        // Without a plan, a start stored before periods were Zurich months (a UTC month, or a
        // caller's choice) counts as the Zurich month it falls in, so the month is not billed twice.
        periodStart:
          settings.period_start && (onPlan ? settings.period_start : defaultPeriodStart(settings.period_start)),
        highWatermarkMB: settings.high_watermark_mb,
        billedUpToMB: settings.billed_up_to_mb,
      };
      const outcome = applyStorageReading(state, { periodStart, volumeMB, includedMB });

      let booking: Booking | null = null;
      if (outcome.debitAmount !== "0.000000") {
        const wording = storageDebitWording(outcome, includedMB);
        const row: TransactionRow = {
          transaction_type: "DEBIT",
          amount: outcome.debitAmount,
          description: ledgerDescription(wording),
          // Derived from the state the debit moves to, not from the caller: even if this debit
          // were ever replayed without its settings update, the same step cannot be booked twice.
          // STORAGE_KEY_PREFIX has a space, which usage keys (printable ASCII, no space) cannot.
          idempotency_key: `${STORAGE_KEY_PREFIX}${periodStart.toISOString()} ${outcome.billedUpToMB}`,
          reference_type: "STORAGE",
          reference_id: reference,
          request_hash: "",
        };
        // What the debit means, without the wording or the caller's key, so an honest replay
        // of the same step matches and a different amount for it is an IDEMPOTENCY_CONFLICT.
        row.request_hash = requestHash({
          account: settings.pool_account_id,
          transaction_type: row.transaction_type,
          amount: row.amount,
          idempotency_key: row.idempotency_key,
          reference_type: row.reference_type,
        });
        const booked = await callLedgerPostWithin(tx, settings.pool_account_id, row, false, wording);
        // A replay means this very step was booked already: this report adds nothing.
        booking = booked.replayed ? null : booked;
      }

      if (outcome.changed) {
        await tx.$executeRaw`
          UPDATE billing_settings
             SET storage_period_start_at = ${periodStart}::timestamptz,
                 storage_high_watermark_mb = ${outcome.highWatermarkMB}::numeric,
                 storage_billed_up_to_mb = ${outcome.billedUpToMB}::numeric,
                 updated_at = now()
           WHERE mandate_id = ${opts.mandateId}::uuid`;
      }

      return {
        mandateId: opts.mandateId,
        periodStart,
        volumeMB,
        highWatermarkMB: outcome.highWatermarkMB,
        includedMB,
        billedUpToMB: outcome.billedUpToMB,
        debitedAmount: booking ? toMoneyString(booking.amount) : "0.000000",
        transactionId: booking?.transactionId ?? null,
        balanceAfter: toMoneyString(booking?.balanceAfter ?? (await poolBalance(tx, settings.pool_account_id))),
      };
    },
    // Reports of one mandate queue on its settings row; give a burst of them time to pass.
    { maxWait: 10_000, timeout: 30_000 },
  );
}

type Tx = Prisma.TransactionClient;

/**
 * Locks the mandate's settings row for the rest of the transaction. Settings rows come with the
 * mandate (createMandate); one missing for a mandate that has a pool account is created here.
 */
async function lockSettings(tx: Tx, mandateId: string): Promise<SettingsRow> {
  const select = () => tx.$queryRaw<SettingsRow[]>`
    SELECT a.id AS pool_account_id,
           s.storage_period_start_at AS period_start,
           s.storage_high_watermark_mb::text AS high_watermark_mb,
           s.storage_billed_up_to_mb::text AS billed_up_to_mb,
           s.storage_included_mb::text AS included_mb,
           (SELECT sub.current_period_start FROM subscription sub
             WHERE sub.mandate_id = s.mandate_id AND sub.status IN ('TRIALING', 'ACTIVE', 'PAST_DUE'))
             AS subscription_period_start
      FROM billing_settings s
      JOIN billing_account a ON a.mandate_id = s.mandate_id AND a.user_id IS NULL
     WHERE s.mandate_id = ${mandateId}::uuid
       FOR UPDATE OF s`;
  const [found] = await select();
  if (found) return found;
  await tx.$executeRaw`
    INSERT INTO billing_settings (mandate_id)
    SELECT mandate_id FROM billing_account WHERE mandate_id = ${mandateId}::uuid AND user_id IS NULL
        ON CONFLICT (mandate_id) DO NOTHING`;
  const [created] = await select();
  if (!created) throw new DomainError("NOT_FOUND", "mandate not found");
  return created;
}

async function poolBalance(tx: Tx, accountId: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ balance: string }[]>`
    SELECT balance::text AS balance FROM billing_account WHERE id = ${accountId}::uuid`;
  if (!row) throw new DomainError("NOT_FOUND", "mandate not found");
  return row.balance;
}

function invalid(path: string, message: string): DomainError {
  return new DomainError("VALIDATION_FAILED", `${path} ${message}`, [{ path, message }]);
}
