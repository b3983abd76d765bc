import { DomainError } from "@/lib/errors";
import { callLedgerPostUsage, requestHash, type TransactionRow } from "./ledger-sql";
import { parseAmount, requireKey } from "./post-transaction";
import type { Booking } from "./types";

/** One AI call as reported by the gateway after it happened. */
export interface UsageEvent {
  mandateId: string;
  userId?: string | null;
  /** Price charged to the mandate, decimal string (CHF). */
  amount: string;
  /** What the provider charged us, when known (for margins). */
  providerCost?: string | null;
  idempotencyKey: string;
  description?: string;
  provider?: string | null;
  model?: string | null;
  featureCode?: string | null;
  featureInstanceId?: string | null;
  workflowId?: string | null;
  /** Seconds, decimal string with up to 3 decimals. */
  processingTime?: string | null;
  bytesSent?: number | null;
  bytesReceived?: number | null;
  errorCount?: number | null;
  /** When the call happened; defaults to now. Only trusted callers (gateway, seed) set it. */
  occurredAt?: Date | null;
}

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
  const row: TransactionRow = {
    amount: parseAmount(event.amount, false),
    provider_cost: event.providerCost == null ? null : parseAmount(event.providerCost, false),
    description: event.description ?? describeUsage(event),
    idempotency_key: requireKey(event.idempotencyKey),
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
  row.request_hash = requestHash({
    ...row,
    request_hash: undefined,
    mandate: event.mandateId,
    user: event.userId ?? null,
  });
  const [pool, audit] = await callLedgerPostUsage(event.mandateId, event.userId ?? null, row);
  if (!pool) throw new DomainError("INTERNAL_ERROR", "usage booking returned nothing");
  return { pool, audit: audit ?? null, replayed: pool.replayed };
}

function describeUsage(event: UsageEvent): string {
  const what = [event.provider, event.model].filter(Boolean).join(" ");
  return `AI usage${what ? `: ${what}` : ""}${event.featureCode ? ` (${event.featureCode})` : ""}`;
}
