import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { createMandate } from "@/lib/mandates/create-mandate";
import { credit } from "@/lib/ledger/post-transaction";

/**
 * Every test makes its own mandate and users (unique e-mails), so test files run in
 * parallel on one database without truncating anything.
 */
export interface TestMandate {
  mandateId: string;
  poolAccountId: string;
  ownerId: string;
  adminId: string;
  memberId: string;
}

export async function createTestUser(role = "user"): Promise<string> {
  const user = await prisma.user.create({
    data: { email: `${role}-${randomUUID()}@test.invalid`, name: `Test ${role}` },
  });
  return user.id;
}

export async function createTestMandate(
  opts: { balance?: string; allowedProviders?: string[] } = {},
): Promise<TestMandate> {
  const [ownerId, adminId, memberId] = await Promise.all([
    createTestUser("owner"),
    createTestUser("admin"),
    createTestUser("member"),
  ]);
  const { mandateId, poolAccountId } = await createMandate({
    name: `Test mandate ${randomUUID().slice(0, 8)}`,
    allowedProviders: opts.allowedProviders,
    members: [
      { userId: ownerId, role: "OWNER" },
      { userId: adminId, role: "ADMIN" },
      { userId: memberId, role: "MEMBER" },
    ],
  });
  if (opts.balance && opts.balance !== "0") {
    await credit({
      accountId: poolAccountId,
      amount: opts.balance,
      idempotencyKey: `initial-${randomUUID()}`,
      description: "Test initial credit",
      referenceType: "SYSTEM",
    });
  }
  return { mandateId, poolAccountId, ownerId, adminId, memberId };
}

/** Disables or enables an account (no product path does yet; tests check the ledger's refusals). */
export async function setAccountEnabled(mandateId: string, accountId: string, enabled: boolean): Promise<void> {
  const { count } = await prisma.billingAccount.updateMany({ where: { id: accountId, mandateId }, data: { enabled } });
  if (count === 0) throw new Error(`account ${accountId} not found in mandate ${mandateId}`);
}
