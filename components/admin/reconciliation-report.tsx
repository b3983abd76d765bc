import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { MoneyText } from "@/components/ui/money-text";
import { numericCell, Table } from "@/components/ui/table";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { Drift, ReconciliationReport } from "@/lib/reconciliation/drift";
import styles from "./admin.module.css";

/**
 * The reconciliation report for platform admins: one line per mandate (OK or how many drifts),
 * then each drift with the rows involved. A drift's title is translated from its kind; its
 * message and the rows' notes stay as the report states them (ids and figures for whoever repairs).
 */
export function ReconciliationReportView({ report, locale }: { report: ReconciliationReport; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  const drifted = report.mandates.filter((m) => m.drifts.length > 0);
  return (
    <>
      <div className={styles.stack}>
        <p className={report.stripe.checked ? styles.success : styles.warning} data-testid="reconciliation-stripe">
          {report.stripe.checked
            ? t("admin.reconciliation.stripeChecked", { server: report.stripe.server })
            : t(report.stripe.failed ? "admin.reconciliation.stripeFailed" : "admin.reconciliation.stripeSkipped", {
                reason: report.stripe.reason,
              })}
        </p>
        <p className={report.driftCount === 0 ? styles.success : styles.alert} data-testid="reconciliation-summary">
          {report.driftCount === 0
            ? t("admin.reconciliation.noDrift")
            : t("admin.reconciliation.driftCount", { count: report.driftCount })}
        </p>
      </div>
      {/* The table is the labelled region; a labelled section around it would repeat its name. */}
      <section className={styles.section}>
        <h2>{t("admin.reconciliation.mandatesLabel")}</h2>
        <Table label={t("admin.reconciliation.mandatesLabel")} data-testid="reconciliation-mandates">
          <thead>
            <tr>
              <th scope="col">{t("admin.reconciliation.mandate")}</th>
              <th scope="col">{t("admin.reconciliation.status")}</th>
              <th scope="col" className={numericCell}>
                {t("admin.reconciliation.accounts")}
              </th>
              <th scope="col" className={numericCell}>
                {t("admin.reconciliation.payments")}
              </th>
            </tr>
          </thead>
          <tbody>
            {report.mandates.map((m) => (
              <tr key={m.mandateId} data-mandate-id={m.mandateId}>
                <td>
                  <Link href={`/admin/mandates/${m.mandateId}`}>{m.name}</Link>
                </td>
                <td>
                  {m.drifts.length === 0 ? (
                    <Badge tone="ok">{t("admin.reconciliation.ok")}</Badge>
                  ) : (
                    <a href={`#drifts-${m.mandateId}`}>
                      <Badge tone="danger">{t("admin.reconciliation.drifts", { count: m.drifts.length })}</Badge>
                    </a>
                  )}
                </td>
                <td className={numericCell}>{m.checked.accounts}</td>
                <td className={numericCell}>{m.checked.payments}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </section>
      {drifted.map((m) => (
        <section
          key={m.mandateId}
          id={`drifts-${m.mandateId}`}
          className={styles.section}
          aria-labelledby={`drifts-title-${m.mandateId}`}
        >
          <h2 id={`drifts-title-${m.mandateId}`}>{m.name}</h2>
          <DriftList drifts={m.drifts} locale={locale} />
        </section>
      ))}
      {report.unassigned.length > 0 ? (
        <section className={styles.section} aria-labelledby="drifts-unassigned">
          <h2 id="drifts-unassigned">{t("admin.reconciliation.unassigned")}</h2>
          <DriftList drifts={report.unassigned} locale={locale} />
        </section>
      ) : null}
    </>
  );
}

function DriftList({ drifts, locale }: { drifts: Drift[]; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  return (
    <ol className={styles.stack} data-testid="drifts">
      {drifts.map((drift, i) => {
        const title = t(`admin.reconciliation.kinds.${drift.kind}`);
        return (
          <li key={`${drift.kind}-${i}`} data-kind={drift.kind}>
            <h3>{title}</h3>
            <p className={styles.muted}>{drift.message}</p>
            <Table label={t("admin.reconciliation.rowsLabel", { kind: title })}>
              <thead>
                <tr>
                  <th scope="col">{t("admin.reconciliation.source")}</th>
                  <th scope="col">{t("admin.reconciliation.id")}</th>
                  <th scope="col" className={numericCell}>
                    {t("admin.reconciliation.amount")}
                  </th>
                  <th scope="col">{t("admin.reconciliation.note")}</th>
                </tr>
              </thead>
              <tbody>
                {drift.rows.map((row) => (
                  <tr key={`${row.source}-${row.id}`}>
                    <td>{t(`admin.reconciliation.sources.${row.source}`)}</td>
                    <td>
                      <code>{row.id}</code>
                    </td>
                    <td className={numericCell}>
                      {row.amount ? <MoneyText amount={row.amount} locale={locale} /> : null}
                    </td>
                    <td>{row.note ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </li>
        );
      })}
    </ol>
  );
}
