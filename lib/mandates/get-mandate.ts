import { prisma } from "@/lib/db/client";
import { isUuid } from "@/lib/ids/uuid";

export interface MandateSummary {
  mandateId: string;
  name: string;
}

/** Null for an unknown or malformed id; callers decide whether that is a 404. */
export async function getMandate(mandateId: string): Promise<MandateSummary | null> {
  if (!isUuid(mandateId)) return null;
  const mandate = await prisma.mandate.findUnique({ where: { id: mandateId }, select: { id: true, name: true } });
  return mandate ? { mandateId: mandate.id, name: mandate.name } : null;
}
