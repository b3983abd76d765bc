import { DomainError, isDomainError, type ErrorCode } from "@/lib/errors";
import {
  callLedgerPostUsage,
  callLedgerPostUsageBatch,
  requestHash,
  type BatchUsageRow,
  type TransactionRow,
} from "./ledger-sql";
import { requireMoneyString } from "@/lib/money/money";
import { requireIdempotencyKey } from "./idempotency-key";
import type { UsageInput } from "@/lib/usage/usage-input";
import type { Booking } from "./types";
import { isUuid } from "@/lib/ids/uuid";
import { usageDescription } from "./usage-description";

/** The reported event's own fields, which the ledger stores as they came. */
type ReportedFields = Omit<UsageInput, "mandateId" | "idempotencyKey" | "amount" | "providerCost" | "occurredAt">;

/**
 * One AI call as the ledger books it: the usage event (lib/usage/usage-input.ts) with its price
 * resolved. The gateway's metadata is optional here: trusted callers (the seed, tests) book
 * without it.
 */
export type UsageEvent = Pick<UsageInput, "mandateId" | "idempotencyKey"> & {
  [Field in keyof ReportedFields]?: ReportedFields[Field] | null;
} & {
  /** Price charged to the mandate, decimal string (CHF). */
  amount: string;
  /** What the provider charged us, when known (for margins). */
  providerCost?: string | null;
  /**
   * True when `amount` was derived from `providerCost` with the mandate's markup rather than
   * sent by the caller. A retry is then judged by the provider cost it carries, so a markup
   * changed in between does not turn an honest retry into a conflict.
   */
  amountFromProviderCost?: boolean;
  /** Defaults to one naming the provider, model and feature. */
  description?: string;
  /** When the call happened; defaults to now. Only trusted callers (gateway, seed) set it. */
  occurredAt?: Date | null;
};

export interface UsageBooking {
  pool: Booking;
  /** The user's audit account booking, when a user was given. */
  audit: Booking | null;
  replayed: boolean;
}

/**
 * Books an AI call as a DEBIT (reference WORKFLOW) on the mandate's pool account and, when
 * a user is given, on the user's audit account, atomically and idempotently. The pool may go
 * below zero: the call already happened, and refusing to record it would lose money.
 */
export async function bookUsage(event: UsageEvent): Promise<UsageBooking> {
  const row = buildUsageRow(event);
  const [pool, audit] = await callLedgerPostUsage(
    event.mandateId,
    event.userId ?? null,
    row,
    event.reservationId ?? null,
  );
  if (!pool) throw new DomainError("INTERNAL_ERROR", "usage booking returned nothing");
  return { pool, audit: audit ?? null, replayed: pool.replayed };
}

export interface UsageBatchOutcome {
  status: "booked" | "duplicate" | "rejected";
  /** The pool transaction: booked now, or booked earlier under the same key (duplicate). */
  transactionId: string | null;
  error: { code: ErrorCode; message: string } | null;
}

/** What ledger_post_usage_batch reports per rejected event, as the API states it. */
const BATCH_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  NOT_FOUND: { code: "NOT_FOUND", message: "mandate not found" },
  RESERVATION_NOT_FOUND: { code: "NOT_FOUND", message: "reservation not found" },
  USER_NOT_MEMBER: { code: "USER_NOT_MEMBER", message: "user is not a member of the mandate" },
  IDEMPOTENCY_CONFLICT: { code: "IDEMPOTENCY_CONFLICT", message: "idempotency key was used for a different booking" },
  ACCOUNT_DISABLED: { code: "ACCOUNT_DISABLED", message: "account is disabled" },
  RESERVATION_ALREADY_SETTLED: { code: "RESERVATION_ALREADY_SETTLED", message: "reservation is already settled" },
};

/**
 * Books many usage events in one statement (ledger_post_usage_batch) with the rules of
 * bookUsage applied per event; the outcomes come back in the order of `events`. An event the
 * ledger refuses is rejected alone, the others are still booked.
 */
export async function bookUsageBatch(events: UsageEvent[]): Promise<UsageBatchOutcome[]> {
  const outcomes: (UsageBatchOutcome | undefined)[] = new Array<UsageBatchOutcome | undefined>(events.length);
  const rows: BatchUsageRow[] = [];
  events.forEach((event, idx) => {
    try {
      if (!isUuid(event.mandateId)) throw new DomainError("NOT_FOUND", "mandate not found");
      for (const [field, id] of [
        ["userId", event.userId],
        ["reservationId", event.reservationId],
      ] as const) {
        if (id && !isUuid(id)) throw new DomainError("VALIDATION_FAILED", `${field} is not a UUID`);
      }
      rows.push({
        idx,
        mandate_id: event.mandateId,
        user_id: event.userId ?? null,
        reservation_id: event.reservationId ?? null,
        tx: buildUsageRow(event),
      });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      outcomes[idx] = { status: "rejected", transactionId: null, error: { code: err.code, message: err.message } };
    }
  });
  for (const outcome of await callLedgerPostUsageBatch(rows)) {
    const code = outcome.error_code;
    outcomes[outcome.idx] = {
      status: outcome.status,
      transactionId: outcome.transaction_id,
      error:
        code === null
          ? null
          : (BATCH_ERRORS[code] ?? { code: "INTERNAL_ERROR", message: `unexpected ledger outcome ${code}` }),
    };
  }
  return outcomes.map((outcome) => {
    if (!outcome) throw new DomainError("INTERNAL_ERROR", "usage batch booking lost an event");
    return outcome;
  });
}

/** The transaction row and request hash of a usage event; shared by the single and batch paths. */
export function buildUsageRow(event: UsageEvent): TransactionRow {
  const row: TransactionRow = {
    amount: requireMoneyString(event.amount),
    provider_cost: event.providerCost == null ? null : requireMoneyString(event.providerCost),
    description: event.description ?? usageDescription(event),
    idempotency_key: requireIdempotencyKey(event.idempotencyKey),
    reference_type: "WORKFLOW",
    reference_id: event.workflowId ?? null,
    workflow_id: event.workflowId ?? null,
    feature_instance_id: event.featureInstanceId ?? null,
    feature_code: event.featureCode ?? null,
    aicore_provider: event.provider ?? null,
    aicore_model: event.model ?? null,
    processing_time: event.processingTime ?? null,
    bytes_sent: event.bytesSent == null ? null : String(event.bytesSent),
    bytes_received: event.bytesReceived == null ? null : String(event.bytesReceived),
    error_count: event.errorCount ?? null,
    created_at: event.occurredAt ? event.occurredAt.toISOString() : null,
    request_hash: "",
  };
  // Keys are only added when used, so events booked before reservations and markup pricing
  // existed keep their hash and still replay.
  row.request_hash = requestHash({
    ...row,
    request_hash: undefined,
    mandate: event.mandateId,
    user: event.userId ?? null,
    ...(event.reservationId ? { reservation: event.reservationId } : {}),
    ...(event.amountFromProviderCost ? { amount: null, priced: "provider_cost" } : {}),
  });
  return row;
}
