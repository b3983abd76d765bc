import type { ReferenceType, TransactionType } from "@/lib/db/generated/client";
import type { LedgerWording } from "./wording";

/** What a booking call returns: the transaction written (or found, on a replay). */
export interface Booking {
  transactionId: string;
  accountId: string;
  transactionType: TransactionType;
  /** Decimal string, six decimals. */
  amount: string;
  /** The account's balance right after this transaction. */
  balanceAfter: string;
  createdAt: Date;
  /** True when the idempotency key had been booked before and nothing new was written. */
  replayed: boolean;
}

export interface BookingContext {
  /** Unique per account; a retry with the same key and payload returns the first booking. */
  idempotencyKey: string;
  referenceType?: ReferenceType | null;
  referenceId?: string | null;
  createdByUserId?: string | null;
}

/**
 * What a booking says: text as a person typed it, or the platform's own wording (stored with its
 * English sentence as the description, and rendered in the reader's language: wording.ts).
 */
export type BookingText =
  { description: string; wording?: undefined } | { wording: LedgerWording; description?: undefined };
