import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { ManualBookingType } from "./manual-booking-schema";

export interface ManualBookingRow {
  transactionId: string;
  type: ManualBookingType;
  /** Decimal strings, six decimals. */
  amount: string;
  balanceAfter: string;
  currency: string;
  reason: string;
  /** When it was booked (for a manual booking, also its createdAt). */
  bookedAt: Date;
  /** Null when the user has since been deleted. */
  createdBy: { userId: string; name: string; email: string } | null;
}

interface Row {
  id: string;
  transaction_type: ManualBookingType;
  amount: string;
  balance_after: string;
  currency: string;
  description: string;
  booked_at: Date;
  user_id: string | null;
  user_name: string | null;
  user_email: string | null;
}

/**
 * The latest manual bookings (credits and adjustments with reference type ADMIN) on the
 * mandate's pool account, newest first, with who booked them: one statement, reading the partial
 * index of ADMIN bookings in booking order (migration *_booking_order), so a mandate with millions of usage
 * debits costs no more than one without.
 */
function manualBookingsQuery(mandateId: string, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT t.id, t.transaction_type::text AS transaction_type, t.amount::text AS amount,
           t.balance_after::text AS balance_after, t.currency, t.description, t.booked_at,
           u.id AS user_id, u.name AS user_name, u.email AS user_email
      FROM billing_account a
      JOIN billing_transaction t ON t.account_id = a.id
      LEFT JOIN app_user u ON u.id = t.created_by_user_id
     WHERE a.mandate_id = ${mandateId}::uuid AND a.user_id IS NULL
       AND t.reference_type = 'ADMIN'
       AND t.transaction_type IN ('CREDIT', 'ADJUSTMENT')
     ORDER BY t.booking_sequence DESC
     LIMIT ${limit}`;
}

export async function listManualBookings(mandateId: string, limit = 20): Promise<ManualBookingRow[]> {
  const rows = await prisma.$queryRaw<Row[]>(manualBookingsQuery(mandateId, limit));
  return rows.map((row) => ({
    transactionId: row.id,
    type: row.transaction_type,
    amount: row.amount,
    balanceAfter: row.balance_after,
    currency: row.currency.trim(),
    reason: row.description,
    bookedAt: row.booked_at,
    createdBy:
      row.user_id && row.user_name !== null && row.user_email !== null
        ? { userId: row.user_id, name: row.user_name, email: row.user_email }
        : null,
  }));
}
