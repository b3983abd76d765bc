import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table } from "@/components/ui/table";
import type { FormAnswer } from "@/lib/forms/form-state";
import type { ApiKeyListRow } from "@/lib/api-keys/list-api-keys-with-mandates";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import styles from "./admin.module.css";
import { DateTimeText } from "./date-time-text";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

export interface ApiKeyTableProps {
  keys: ApiKeyListRow[];
  locale: Locale;
  revokeAction: (id: string) => Promise<FormAnswer<never, { revoked: true }>>;
}

export function ApiKeyTable({ keys, locale, revokeAction }: ApiKeyTableProps) {
  const t = getTranslator(locale, "billing");
  if (keys.length === 0) return <EmptyState title={t("admin.apiKeys.empty")} />;
  return (
    <Table label={t("admin.apiKeys.list")} data-testid="api-keys">
      <thead>
        <tr>
          <th scope="col">{t("admin.apiKeys.name")}</th>
          <th scope="col">{t("admin.apiKeys.prefix")}</th>
          <th scope="col">{t("admin.apiKeys.scope")}</th>
          <th scope="col">{t("admin.apiKeys.created")}</th>
          <th scope="col">{t("admin.apiKeys.lastUsed")}</th>
          <th scope="col">{t("admin.apiKeys.status")}</th>
          <th scope="col">{t("admin.apiKeys.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key.id} data-api-key-id={key.id}>
            <td>{key.name}</td>
            <td className={styles.mono}>{key.keyPrefix}…</td>
            <td>{key.mandateName ?? <Badge tone="accent">{t("admin.apiKeys.platformWide")}</Badge>}</td>
            <td>
              <DateTimeText value={key.createdAt} locale={locale} />
            </td>
            <td>
              {key.lastUsedAt ? (
                <DateTimeText value={key.lastUsedAt} locale={locale} />
              ) : (
                <span className={styles.muted}>{t("admin.apiKeys.never")}</span>
              )}
            </td>
            <td data-testid="api-key-status">
              {key.revokedAt ? (
                <Badge tone="danger">{t("admin.apiKeys.revoked")}</Badge>
              ) : (
                <Badge tone="ok">{t("admin.apiKeys.active")}</Badge>
              )}
            </td>
            <td>{key.revokedAt ? null : <RevokeApiKeyButton id={key.id} name={key.name} action={revokeAction} />}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
