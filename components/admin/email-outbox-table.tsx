import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table } from "@/components/ui/table";
import type { OutboxEmailView } from "@/lib/email/list-outbox-emails";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { getTranslator } from "@/lib/i18n/get-translator";
import styles from "./admin.module.css";

/**
 * Recorded e-mails, newest first: recipients, subject, kind, mandate, whether it went out over
 * SMTP or only into the outbox; the plain-text body opens in place.
 */
export function EmailOutboxTable({ emails, locale }: { emails: OutboxEmailView[]; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  if (emails.length === 0) {
    return <EmptyState title={t("admin.outbox.empty")} description={t("admin.outbox.emptyHint")} />;
  }
  return (
    <Table label={t("admin.outbox.label")} data-testid="outbox-table">
      <thead>
        <tr>
          <th scope="col">{t("admin.outbox.created")}</th>
          <th scope="col">{t("admin.outbox.to")}</th>
          <th scope="col">{t("admin.outbox.subject")}</th>
          <th scope="col">{t("admin.outbox.kind")}</th>
          <th scope="col">{t("admin.outbox.mandate")}</th>
          <th scope="col">{t("admin.outbox.delivery")}</th>
        </tr>
      </thead>
      <tbody>
        {emails.map((email) => (
          <tr key={email.id} data-email-id={email.id} data-kind={email.kind}>
            <td>{formatDateTime(email.createdAt, locale)}</td>
            <td className={styles.reason}>{email.to.join(", ")}</td>
            <td className={styles.reason}>
              <details>
                <summary>{email.subject}</summary>
                <pre className={`${styles.mono} ${styles.body}`} data-testid="outbox-text">
                  {email.textBody}
                </pre>
              </details>
            </td>
            <td className={styles.mono}>{email.kind}</td>
            <td>
              {email.mandate ? (
                <Link href={`/admin/mandates/${email.mandate.id}`}>{email.mandate.name}</Link>
              ) : (
                <span className={styles.muted}>{t("admin.outbox.noMandate")}</span>
              )}
            </td>
            <td>
              <DeliveryBadge email={email} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function DeliveryBadge({ email, locale }: { email: OutboxEmailView; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  if (email.transport === "outbox") return <Badge tone="neutral">{t("admin.outbox.outboxOnly")}</Badge>;
  if (email.sentAt) {
    return <Badge tone="ok">{t("admin.outbox.sent", { at: formatDateTime(email.sentAt, locale) })}</Badge>;
  }
  return (
    <span title={email.error ?? undefined}>
      <Badge tone={email.error ? "danger" : "warn"}>
        {t(email.error ? "admin.outbox.failed" : "admin.outbox.pending")}
      </Badge>
    </span>
  );
}
