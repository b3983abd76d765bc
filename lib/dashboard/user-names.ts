import { prisma } from "@/lib/db/client";
import { isUuid } from "@/lib/ids/uuid";

/**
 * Names of the people who caused transactions, for the table's user column and the CSV. Only
 * ids that appear on a mandate's own transactions are passed in, so no other tenant's users are
 * revealed. A user id without a row (not possible while the foreign keys hold) is left out.
 */
export async function getUserNames(userIds: Iterable<string | null>): Promise<Map<string, string>> {
  const ids = [...new Set([...userIds].filter((id): id is string => id !== null && isUuid(id)))];
  if (ids.length === 0) return new Map();
  const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}
