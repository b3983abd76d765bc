import { Card } from "@/components/ui/card";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import { fieldLabel, type FieldName } from "@/lib/i18n/model-metadata";
import type { BillingSettingsView } from "@/lib/settings/get-billing-settings";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { formatDecimal } from "./format-setting-value";
import styles from "./settings.module.css";

/** The settings the platform maintains (Stripe, counters, storage metering): shown, never edited here. */
export function SettingsStatus({ locale, settings }: { locale: Locale; settings: BillingSettingsView }) {
  const t = getTranslator(locale, "billing");
  const notSet = t("settings.status.notSet");
  const date = (iso: string | null) => (iso ? formatDateTime(iso, locale) : notSet);
  const mb = (value: string | null, fallback = notSet) => (value === null ? fallback : formatDecimal(value, locale));
  const facts: [FieldName<"BillingSettings">, string][] = [
    // Stripe's customer id and the recharge month's reset are internals: platform admins see them.
    ["rechargesThisMonth", String(settings.rechargesThisMonth)],
    ["storageHighWatermarkMB", mb(settings.storageHighWatermarkMB)],
    ["storageBilledUpToMB", mb(settings.storageBilledUpToMB)],
    ["storageIncludedMB", mb(settings.storageIncludedMB, t("settings.status.platformDefault"))],
    ["storagePeriodStartAt", date(settings.storagePeriodStartAt)],
    [
      "providerCostMarkupPercent",
      settings.providerCostMarkupPercent === null
        ? t("settings.status.platformDefault")
        : `${formatDecimal(settings.providerCostMarkupPercent, locale)} %`,
    ],
    ["updatedAt", date(settings.updatedAt)],
  ];
  return (
    <Card title={t("settings.status.title")}>
      <p className={styles.muted}>{t("settings.status.intro")}</p>
      <dl className={styles.facts} data-testid="settings-status-facts">
        {facts.map(([field, value]) => (
          <div key={field}>
            <dt>{fieldLabel("BillingSettings", field, locale)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
