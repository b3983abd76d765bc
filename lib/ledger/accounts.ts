import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids/uuid";
import { toMoneyString } from "@/lib/money/money";

export interface AccountBalance {
  accountId: string;
  mandateId: string;
  userId: string | null;
  balance: string;
  currency: string;
  warningThreshold: string;
  /** Pool only: what the warning threshold is a percentage of (migration *_auto_recharge). */
  budget: string;
  enabled: boolean;
}

export async function getPoolAccount(mandateId: string): Promise<AccountBalance> {
  const account = await prisma.billingAccount.findFirst({ where: { mandateId, userId: null } });
  if (!account) throw new DomainError("NOT_FOUND", "mandate not found");
  return {
    accountId: account.id,
    mandateId: account.mandateId,
    userId: account.userId,
    balance: toMoneyString(account.balance),
    currency: account.currency,
    warningThreshold: toMoneyString(account.warningThreshold),
    budget: toMoneyString(account.budget),
    enabled: account.enabled,
  };
}

/**
 * The account a list or statistic is about: the mandate's pool, or one user's audit account
 * (accountId null while the user has never spent, or when the id cannot name a user). NOT_FOUND
 * for an unknown mandate either way; pool and audit account are read in parallel.
 */
export async function resolvePoolOrAuditAccount(
  mandateId: string,
  userId?: string | null,
): Promise<{ accountId: string | null; currency: string }> {
  const [pool, audit] = await Promise.all([
    getPoolAccount(mandateId),
    userId && isUuid(userId)
      ? prisma.billingAccount.findFirst({ where: { mandateId, userId }, select: { id: true, currency: true } })
      : null,
  ]);
  if (!userId) return pool;
  return audit ? { accountId: audit.id, currency: audit.currency } : { accountId: null, currency: pool.currency };
}

/**
 * Balance versus the sum of the account's transactions, both computed in PostgreSQL
 * (numeric, exact). Used by tests and by the consistency check in the seed.
 */
export async function reconcileAccount(accountId: string): Promise<{ balance: string; sum: string; count: number }> {
  const [row] = await prisma.$queryRaw<{ balance: string; sum: string; count: bigint }[]>`
    SELECT a.balance::text AS balance,
           coalesce(sum(CASE t.transaction_type WHEN 'DEBIT' THEN -t.amount ELSE t.amount END), 0)::numeric(30,6)::text AS sum,
           count(t.id) AS count
      FROM billing_account a LEFT JOIN billing_transaction t ON t.account_id = a.id
     WHERE a.id = ${accountId}::uuid
     GROUP BY a.id`;
  if (!row) throw new DomainError("NOT_FOUND", "account not found");
  return { balance: row.balance, sum: row.sum, count: Number(row.count) };
}
