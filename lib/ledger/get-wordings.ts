import { prisma } from "@/lib/db/client";
import { LedgerWording } from "./wording";

/**
 * The wordings of some transactions (lib/ledger/wording.ts), by transaction id. Only rows that are
 * not AI usage can have one, so a page or export batch of usage asks nothing. A stored wording
 * that no longer parses (a key retired later) is left out: the row then shows its description.
 */
export async function getWordings(
  rows: readonly { id: string; referenceType: string | null }[],
): Promise<Map<string, LedgerWording>> {
  const ids = rows.filter((row) => row.referenceType !== "WORKFLOW").map((row) => row.id);
  if (ids.length === 0) return new Map();
  const stored = await prisma.billingTransactionWording.findMany({ where: { transactionId: { in: ids } } });
  const wordings = new Map<string, LedgerWording>();
  for (const row of stored) {
    const parsed = LedgerWording.safeParse({ ...(row.values as object), key: row.key });
    if (parsed.success) wordings.set(row.transactionId, parsed.data);
  }
  return wordings;
}
