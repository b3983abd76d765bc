import type { ReservationStatus } from "@/lib/db/generated/client";

/**
 * Reads of the reservations a reserving billing check makes (written only by the ledger's SQL
 * functions: billing_check_reserve, ledger_post_usage, ledger_post_usage_batch). An OPEN
 * reservation past expiresAt no longer holds money even before it is marked EXPIRED.
 */
export interface ReservationSummary {
  id: string;
  mandateId: string;
  userId: string | null;
  amount: string;
  status: ReservationStatus;
  expiresAt: Date;
  createdAt: Date;
  settledAt: Date | null;
  /** The usage debit that captured it. */
  transactionId: string | null;
}
