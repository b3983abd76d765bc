import { prisma } from "@/lib/db/client";
import { createTestUser } from "./test-factories";

/**
 * Look-ups and set-up for the in-process tests of dashboard routes and server actions, which
 * live under app/ and so may not query the database themselves.
 */

/** A fresh user with the platform-admin flag (no product path sets it; scripts/create-admin.ts does). */
export async function createPlatformAdmin(): Promise<string> {
  const userId = await createTestUser("platform-admin");
  await prisma.user.update({ where: { id: userId }, data: { isPlatformAdmin: true } });
  return userId;
}

export async function userEmail(userId: string): Promise<string> {
  return (await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })).email;
}

export async function membershipIdOf(mandateId: string, userId: string): Promise<string> {
  const membership = await prisma.membership.findUniqueOrThrow({
    where: { mandateId_userId: { mandateId, userId } },
    select: { id: true },
  });
  return membership.id;
}

/** A user's audit account in a mandate (it exists once they have spent) and its number of transactions. */
export async function auditAccountOf(mandateId: string, userId: string): Promise<{ accountId: string; rows: number }> {
  const account = await prisma.billingAccount.findFirstOrThrow({ where: { mandateId, userId }, select: { id: true } });
  return { accountId: account.id, rows: await transactionCountOf(account.id) };
}

export async function transactionCountOf(accountId: string): Promise<number> {
  return prisma.billingTransaction.count({ where: { accountId } });
}
