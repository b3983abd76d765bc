import { prisma } from "@/lib/db/client";
import { isUuid } from "@/lib/ids/uuid";
import { businessMonthStart } from "@/lib/stats/business-calendar";
import { settingsDecimal, type BillingSettingsValues } from "./billing-settings-schema";
import { settingsValuesFromRow } from "./settings-values";

/** The settings page's view: editable values as the form expects them, the rest read-only. */
export interface BillingSettingsView {
  values: BillingSettingsValues;
  stripeCustomerId: string | null;
  /** The card auto-recharge charges; null: none kept (auto-recharge cannot be switched on). */
  savedCard: { brand: string | null; last4: string | null } | null;
  rechargesThisMonth: number;
  /** ISO timestamps; null when never set. */
  monthResetAt: string | null;
  storageHighWatermarkMB: string;
  storagePeriodStartAt: string | null;
  storageBilledUpToMB: string;
  /** Null: the platform default applies. */
  storageIncludedMB: string | null;
  providerCostMarkupPercent: string | null;
  /** The form sends it back: a save from an older version is refused (EDIT_CONFLICT). */
  settingsVersion: number;
  updatedAt: string;
}

/** Null when the mandate has no settings row (or the id is malformed); callers decide on a 404. */
export async function getBillingSettings(mandateId: string): Promise<BillingSettingsView | null> {
  if (!isUuid(mandateId)) return null;
  const row = await prisma.billingSettings.findUnique({
    where: { mandateId },
    include: { mandate: { select: { locale: true } } },
  });
  if (!row) return null;
  return {
    values: settingsValuesFromRow(row, row.mandate.locale),
    stripeCustomerId: row.stripeCustomerId,
    savedCard: row.stripePaymentMethodId ? { brand: row.cardBrand, last4: row.cardLast4 } : null,
    // The counter restarts with the month's first recharge: until then last month's count is stale.
    rechargesThisMonth:
      row.monthResetAt && row.monthResetAt >= businessMonthStart(new Date()) ? row.rechargesThisMonth : 0,
    monthResetAt: row.monthResetAt?.toISOString() ?? null,
    storageHighWatermarkMB: settingsDecimal(row.storageHighWatermarkMB),
    storagePeriodStartAt: row.storagePeriodStartAt?.toISOString() ?? null,
    storageBilledUpToMB: settingsDecimal(row.storageBilledUpToMB),
    storageIncludedMB: row.storageIncludedMB === null ? null : settingsDecimal(row.storageIncludedMB),
    providerCostMarkupPercent:
      row.providerCostMarkupPercent === null ? null : settingsDecimal(row.providerCostMarkupPercent),
    settingsVersion: row.settingsVersion,
    updatedAt: row.updatedAt.toISOString(),
  };
}
