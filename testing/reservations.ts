import { prisma } from "@/lib/db/client";
import type { ReservationStatus } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids/uuid";
import { toMoneyString } from "@/lib/money/money";
import type { ReservationSummary } from "@/lib/billing-check/reservations";

/** Test reads of reservations (the product reads them only inside its SQL functions). */
/** NOT_FOUND for another mandate's reservation: its existence stays hidden. */
export async function getReservation(mandateId: string, reservationId: string): Promise<ReservationSummary> {
  const row = isUuid(reservationId)
    ? await prisma.billingReservation.findFirst({ where: { id: reservationId, mandateId } })
    : null;
  if (!row) throw new DomainError("NOT_FOUND", "reservation not found");
  return summarize(row);
}

/** Newest first. */
export async function listReservations(
  mandateId: string,
  opts: { status?: ReservationStatus } = {},
): Promise<ReservationSummary[]> {
  const rows = await prisma.billingReservation.findMany({
    where: { mandateId, ...(opts.status ? { status: opts.status } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(summarize);
}

function summarize(row: {
  id: string;
  mandateId: string;
  userId: string | null;
  amount: { toString(): string };
  status: ReservationStatus;
  expiresAt: Date;
  createdAt: Date;
  settledAt: Date | null;
  transactionId: string | null;
}): ReservationSummary {
  return {
    id: row.id,
    mandateId: row.mandateId,
    userId: row.userId,
    amount: toMoneyString(row.amount.toString()),
    status: row.status,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    settledAt: row.settledAt,
    transactionId: row.transactionId,
  };
}
