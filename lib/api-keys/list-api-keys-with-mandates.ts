import { prisma } from "@/lib/db/client";
import type { ApiKeySummary } from "./api-keys";

export interface ApiKeyListRow extends ApiKeySummary {
  /** Name of the mandate the key is scoped to; null for a platform-wide key. */
  mandateName: string | null;
}

/**
 * Every API key with its scope's mandate name, newest first, for the platform admin list.
 * The mandate name comes with the key in the same query (a join), not a look-up per key.
 * Never returns the hash: the list only needs to recognise a key by its prefix.
 */
export async function listApiKeysWithMandates(): Promise<ApiKeyListRow[]> {
  const rows = await prisma.apiKey.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      name: true,
      keyPrefix: true,
      mandateId: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      mandate: { select: { name: true } },
    },
  });
  return rows.map(({ mandate, ...key }) => ({ ...key, mandateName: mandate?.name ?? null }));
}
