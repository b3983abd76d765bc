import type { Prisma } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids/uuid";

/**
 * Serializes membership changes of one mandate: every change locks the mandate row first, so
 * "is this the last owner?" is answered on data no concurrent change can alter (two owners
 * demoting each other at once cannot leave the mandate ownerless). FOR NO KEY UPDATE does not
 * block the foreign-key checks of bookings and other rows that reference the mandate.
 */
export async function lockMandateMembers(tx: Prisma.TransactionClient, mandateId: string): Promise<void> {
  if (!isUuid(mandateId)) throw new DomainError("NOT_FOUND", "mandate not found");
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM mandate WHERE id = ${mandateId}::uuid FOR NO KEY UPDATE`;
  if (rows.length === 0) throw new DomainError("NOT_FOUND", "mandate not found");
}

/** A membership of this mandate, or NOT_FOUND: another mandate's membership id is unknown here. */
export async function findMembership(tx: Prisma.TransactionClient, mandateId: string, membershipId: string) {
  const membership = isUuid(membershipId)
    ? await tx.membership.findFirst({
        where: { id: membershipId, mandateId },
        include: { user: { select: { email: true } } },
      })
    : null;
  if (!membership) throw new DomainError("NOT_FOUND", "membership not found");
  return membership;
}

/** Refuses a change that would take away the mandate's only owner. Call under lockMandateMembers. */
export async function assertNotLastOwner(tx: Prisma.TransactionClient, mandateId: string): Promise<void> {
  const owners = await tx.membership.count({ where: { mandateId, role: "OWNER" } });
  if (owners <= 1) throw new DomainError("LAST_OWNER", "a mandate must keep at least one owner");
}
