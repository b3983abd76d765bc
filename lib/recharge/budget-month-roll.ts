import { prisma } from "@/lib/db/client";

/**
 * Rolls the budget of every pool that has had no booking yet this month (the first booking rolls
 * its own; migration *_auto_recharge, billing_budget_roll): the new month's budget is the balance
 * it opens with, and the warning threshold follows. Returns how many pools rolled.
 */
export async function rollBudgetMonths(): Promise<number> {
  const [row] = await prisma.$queryRaw<{ rolled: number }[]>`SELECT billing_budget_roll() AS rolled`;
  return row?.rolled ?? 0;
}
