import { prisma } from "@/lib/db/client";
import { toMoneyString } from "@/lib/money/money";
import type { StorageState } from "@/lib/storage/storage-overage";

/** The stored storage state of a mandate, as tests read it (no product page shows it yet). */
export async function getStorageState(mandateId: string): Promise<StorageState & { includedMB: string | null }> {
  const settings = await prisma.billingSettings.findUnique({ where: { mandateId } });
  if (!settings) throw new Error(`no billing settings for mandate ${mandateId}`);
  return {
    periodStart: settings.storagePeriodStartAt,
    highWatermarkMB: toMoneyString(settings.storageHighWatermarkMB),
    billedUpToMB: toMoneyString(settings.storageBilledUpToMB),
    includedMB: settings.storageIncludedMB === null ? null : toMoneyString(settings.storageIncludedMB),
  };
}
