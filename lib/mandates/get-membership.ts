import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { isUuid } from "@/lib/ids/uuid";

/**
 * The user's role in the mandate, or null when they are no member (or the id is malformed:
 * ids come from URLs, and a non-UUID would make PostgreSQL reject the query).
 */
export async function getMembershipRole(mandateId: string, userId: string): Promise<MandateRole | null> {
  if (!isUuid(mandateId) || !isUuid(userId)) return null;
  const membership = await prisma.membership.findUnique({
    where: { mandateId_userId: { mandateId, userId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}
