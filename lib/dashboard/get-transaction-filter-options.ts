import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { seesPool, type DashboardViewer } from "./viewer";

export interface TransactionFilterOptions {
  /** AI providers and feature codes that occur in the viewer's account, sorted. */
  providers: string[];
  features: string[];
  /** Owners and admins only (empty for a MEMBER): people who can have caused pool transactions. */
  users: { id: string; name: string }[];
}

/** The "unknown" bucket of the statistics stands for debits without a provider or feature: not filterable. */
const UNKNOWN_KEY = "unknown";

/**
 * Choices for the filter selects. Providers and features come from the keys of the account's
 * yearly usage statistics, a handful of rows, rather than a DISTINCT over millions of ledger
 * rows; a key first used in the last second (not yet rolled up) appears a moment later.
 */
export async function getTransactionFilterOptions(viewer: DashboardViewer): Promise<TransactionFilterOptions> {
  const pool = seesPool(viewer);
  const account = pool ? Prisma.sql`a.user_id IS NULL` : Prisma.sql`a.user_id = ${viewer.userId}::uuid`;
  const [keys, users] = await Promise.all([
    prisma.$queryRaw<{ dim: string; key: string }[]>`
      SELECT 'provider' AS dim, k.key FROM usage_statistics s
        JOIN billing_account a ON a.id = s.account_id
       CROSS JOIN jsonb_object_keys(s.cost_by_provider) AS k(key)
       WHERE a.mandate_id = ${viewer.mandateId}::uuid AND ${account} AND s.period_type = 'YEAR'
      UNION
      SELECT 'feature', k.key FROM usage_statistics s
        JOIN billing_account a ON a.id = s.account_id
       CROSS JOIN jsonb_object_keys(s.cost_by_feature) AS k(key)
       WHERE a.mandate_id = ${viewer.mandateId}::uuid AND ${account} AND s.period_type = 'YEAR'`,
    pool ? listMandatePeople(viewer.mandateId) : [],
  ]);
  const sorted = (dim: string) =>
    keys
      .filter((row) => row.dim === dim && row.key !== UNKNOWN_KEY)
      .map((row) => row.key)
      .sort();
  return { providers: sorted("provider"), features: sorted("feature"), users };
}

/** Members, and former members who still have an audit account (their usage stays on record). */
async function listMandatePeople(mandateId: string): Promise<{ id: string; name: string }[]> {
  return prisma.user.findMany({
    where: { OR: [{ memberships: { some: { mandateId } } }, { accounts: { some: { mandateId } } }] },
    select: { id: true, name: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}
