import { prisma } from "@/lib/db/client";

/**
 * What a mandate has booked or held so far: its transactions (all accounts) and reservations.
 * For tests that prove a refused request left no trace.
 */
export async function countBookings(
  mandateId: string,
  opts: { debitsOnly?: boolean } = {},
): Promise<{ transactions: number; reservations: number }> {
  const [transactions, reservations] = await Promise.all([
    prisma.billingTransaction.count({
      where: { mandateId, ...(opts.debitsOnly ? { transactionType: "DEBIT" as const } : {}) },
    }),
    prisma.billingReservation.count({ where: { mandateId } }),
  ]);
  return { transactions, reservations };
}
