import { DomainError } from "@/lib/errors";
import { requireMoneyString } from "@/lib/money/money";
import { requireIdempotencyKey } from "./idempotency-key";
import {
  callLedgerPost,
  callLedgerPostWithin,
  requestHash,
  type LedgerTransaction,
  type TransactionRow,
} from "./ledger-sql";
import type { Booking, BookingContext, BookingText } from "./types";
import { ledgerDescription, type LedgerWording } from "./wording";

/**
 * Credits, debits and adjustments on one account. Each writes one immutable transaction
 * and moves the balance in the same statement (see ledger_post in the migrations).
 * A retry with the same idempotency key and payload returns the first booking.
 */
export type PostOptions = PostTarget & BookingText;

interface PostTarget extends BookingContext {
  accountId: string;
  /** Decimal string: positive for credit and debit, signed (not zero) for adjustments. */
  amount: string;
  /** When the booking happened; defaults to now. Only trusted callers (the seed) set it. */
  occurredAt?: Date | null;
  /** Book inside this database transaction (it commits or rolls back with the caller's writes). */
  tx?: LedgerTransaction;
}

export async function credit(opts: PostOptions): Promise<Booking> {
  return post("CREDIT", opts, false);
}

/** A non-usage debit (e.g. storage overage). Usage goes through bookUsage. */
export async function debit(opts: PostOptions & { requireEnabled?: boolean }): Promise<Booking> {
  return post("DEBIT", opts, opts.requireEnabled ?? false);
}

/**
 * A correction: signed amount and why. By an admin, with the reason they typed (recorded with who
 * did it), or by the system for money that moved at Stripe (a refund, a dispute), with its wording
 * and referenceType PAYMENT.
 */
export async function adjust(
  opts: PostTarget & { createdByUserId: string | null } & (
      { reason: string; wording?: undefined } | { wording: LedgerWording; reason?: undefined }
    ),
): Promise<Booking> {
  const referenceType = opts.referenceType ?? "ADMIN";
  if (opts.wording) return post("ADJUSTMENT", { ...opts, referenceType, wording: opts.wording }, false);
  if (!opts.reason.trim()) throw new DomainError("VALIDATION_FAILED", "an adjustment needs a reason");
  return post("ADJUSTMENT", { ...opts, referenceType, description: opts.reason, wording: undefined }, false);
}

async function post(
  type: "CREDIT" | "DEBIT" | "ADJUSTMENT",
  opts: PostOptions,
  requireEnabled: boolean,
): Promise<Booking> {
  const amount = requireMoneyString(opts.amount, { signed: type === "ADJUSTMENT" });
  const row: TransactionRow = {
    transaction_type: type,
    amount,
    description: opts.wording ? ledgerDescription(opts.wording) : opts.description,
    idempotency_key: requireIdempotencyKey(opts.idempotencyKey),
    reference_type: opts.referenceType ?? null,
    reference_id: opts.referenceId ?? null,
    created_by_user_id: opts.createdByUserId ?? null,
    created_at: opts.occurredAt?.toISOString() ?? null,
    request_hash: "",
  };
  row.request_hash = requestHash({ ...row, request_hash: undefined, account: opts.accountId });
  const wording = opts.wording ?? null;
  return opts.tx
    ? callLedgerPostWithin(opts.tx, opts.accountId, row, requireEnabled, wording)
    : callLedgerPost(opts.accountId, row, requireEnabled, wording);
}
