import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { prisma } from "@/lib/db/client";
import { credit } from "@/lib/ledger/post-transaction";
import { createMandate } from "@/lib/mandates/create-mandate";
import { grantPlan } from "@/lib/subscriptions/grant-plan";
import { savePlan } from "@/lib/subscriptions/plan-catalogue";
import { createUser } from "@/lib/users/create-user";
import type { BenchMandate } from "./load-jobs";

/**
 * The mandates the load books on (the bench database is a fresh copy each run, so they are made
 * anew), each with a few members, a plan, and a pool balance large enough that no check refuses
 * for money.
 * Imported only after DATABASE_URL points at the bench database (the Prisma client reads it on load).
 */
const INITIAL_BALANCE = "1000000";

export async function prepareLoadMandates(count: number, usersPerMandate: number): Promise<BenchMandate[]> {
  const mandates: BenchMandate[] = [];
  // Each mandate runs on a plan, so every check passes the subscription gate as in production.
  const plan = await savePlan({
    code: "bench",
    nameDe: "Benchmark",
    nameEn: "Benchmark",
    monthlyPriceCHF: "0",
    aiBudgetCHF: "0",
    includedStorageMB: "0",
    active: true,
  });
  for (let m = 1; m <= count; m++) {
    const userIds: string[] = [];
    for (let u = 1; u <= usersPerMandate; u++) {
      const email = `bench-m${m}-u${u}@bench.invalid`;
      userIds.push((await createUser({ email, name: `Bench user ${m}.${u}` })).userId);
    }
    const { mandateId, poolAccountId } = await createMandate({
      name: `Bench load mandate ${m}`,
      members: userIds.map((userId, i) => ({ userId, role: i === 0 ? "OWNER" : "MEMBER" })),
    });
    await credit({
      accountId: poolAccountId,
      amount: INITIAL_BALANCE,
      idempotencyKey: "bench-initial-credit",
      description: "Benchmark initial credit",
      referenceType: "SYSTEM",
    });
    await grantPlan({ mandateId, planId: plan.id, grantedByUserId: userIds[0]!, reason: "benchmark" });
    mandates.push({ mandateId, userIds });
  }
  return mandates;
}

/** A platform-wide key for this run. */
export async function createBenchApiKey(runId: string): Promise<{ id: string; key: string }> {
  const created = await createApiKey({ name: `bench-api ${runId}`, mandateId: null });
  return { id: created.id, key: created.key };
}

export async function revokeBenchApiKey(id: string): Promise<void> {
  await revokeApiKey(id);
}

/** Debits waiting for the statistics roll-up (the server's runner drains them every second). */
export async function rollupQueueLength(): Promise<number> {
  const [row] = await prisma.$queryRaw<
    { n: bigint }[]
  >`SELECT coalesce(sum(transaction_count), 0) AS n FROM usage_rollup_queue`;
  return Number(row?.n ?? 0);
}

export async function disconnect(): Promise<void> {
  await prisma.$disconnect();
}
