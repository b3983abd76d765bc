import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table } from "@/components/ui/table";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { BillingSettingsChangeView } from "@/lib/settings/list-billing-settings-changes";
import { settingLabel } from "@/lib/settings/setting-labels";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { formatSettingValue } from "./format-setting-value";
import styles from "./settings.module.css";

export interface SettingsHistoryProps {
  locale: Locale;
  changes: BillingSettingsChangeView[];
  limit: number;
}

/** Who changed which setting when, newest first; one row per changed field. */
export function SettingsHistory({ locale, changes, limit }: SettingsHistoryProps) {
  const t = getTranslator(locale, "billing");
  const words = { yes: t("settings.values.yes"), no: t("settings.values.no"), none: t("settings.values.none") };
  return (
    <section aria-labelledby="settings-history-title">
      <h2 id="settings-history-title" className={styles.sectionTitle}>
        {t("settings.history.title")}
      </h2>
      <p className={styles.muted}>{t("settings.history.intro", { count: limit })}</p>
      {changes.length === 0 ? (
        <Card>
          <EmptyState title={t("settings.history.empty")} />
        </Card>
      ) : (
        <Table label={t("settings.history.label")} data-testid="settings-history">
          <thead>
            <tr>
              <th scope="col">{t("settings.history.when")}</th>
              <th scope="col">{t("settings.history.who")}</th>
              <th scope="col">{t("settings.history.field")}</th>
              <th scope="col">{t("settings.history.change")}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => (
              <tr key={change.id} data-change-id={change.id} data-field={change.field}>
                <td>
                  <time dateTime={change.changedAt}>{formatDateTime(change.changedAt, locale)}</time>
                </td>
                <td>
                  {change.changedBy.name}
                  <br />
                  <span className={styles.muted}>{change.changedBy.email}</span>
                </td>
                <td>{settingLabel(change.field, locale)}</td>
                <td className={styles.change}>
                  <span className="visually-hidden">{t("settings.history.from")} </span>
                  <span data-testid="old-value">
                    {formatSettingValue(change.field, change.oldValue, locale, words)}
                  </span>
                  <span className={styles.arrow} aria-hidden="true">
                    →
                  </span>
                  <span className="visually-hidden"> {t("settings.history.to")} </span>
                  <span data-testid="new-value">
                    {formatSettingValue(change.field, change.newValue, locale, words)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
