import type { ReservationStatus } from "@/lib/db/generated/client";
import { queryNamed } from "@/lib/db/pg-pool";
import { DomainError } from "@/lib/errors";
import { runLedgerSql } from "@/lib/ledger/ledger-sql";
import { isUuid } from "@/lib/ids/uuid";
import { toMoneyString } from "@/lib/money/money";
import type { ReservationSummary } from "./reservations";

/**
 * Gives a reservation's money back before it expires: the gateway calls this when the AI call
 * it checked for did not happen. billing_reservation_release (migration *_baseline)
 * does it under the pool lock, like every writer of holds; see its comment for the outcomes.
 */
export interface ReleasedReservation extends Pick<
  ReservationSummary,
  "mandateId" | "userId" | "amount" | "expiresAt" | "createdAt"
> {
  reservationId: string;
  /** RELEASED, or EXPIRED when the hold had already run out (it held nothing any more). */
  status: Extract<ReservationStatus, "RELEASED" | "EXPIRED">;
  settledAt: Date;
  /** True when this call freed the money; false for a retry or an expired hold. */
  released: boolean;
}

/** As node-postgres parses it: numeric as a decimal string, the enum as its label. */
interface ReleaseRow {
  id: string;
  mandate_id: string;
  user_id: string | null;
  amount: string;
  status: ReservationStatus;
  expires_at: Date;
  created_at: Date;
  settled_at: Date;
  released: boolean;
}

/**
 * NOT_FOUND for an unknown id or another mandate's reservation (its existence stays hidden);
 * RESERVATION_ALREADY_SETTLED when a usage debit captured it.
 */
export async function releaseReservation(mandateId: string, reservationId: string): Promise<ReleasedReservation> {
  if (!isUuid(mandateId) || !isUuid(reservationId)) throw new DomainError("NOT_FOUND", "reservation not found");
  const [row] = await runLedgerSql(() =>
    queryNamed<ReleaseRow>(
      "billing_reservation_release",
      "SELECT * FROM billing_reservation_release($1::uuid, $2::uuid)",
      [mandateId, reservationId],
    ),
  );
  if (!row || (row.status !== "RELEASED" && row.status !== "EXPIRED")) {
    throw new Error(`billing_reservation_release returned ${row?.status ?? "no row"}`);
  }
  return {
    reservationId: row.id,
    mandateId: row.mandate_id,
    userId: row.user_id,
    amount: toMoneyString(row.amount),
    status: row.status,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    settledAt: row.settled_at,
    released: row.released,
  };
}
