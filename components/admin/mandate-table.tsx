import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { MoneyText } from "@/components/ui/money-text";
import { numericCell, Table } from "@/components/ui/table";
import type { Locale } from "@/lib/i18n/config";
import { columnDecimals, formatCount } from "@/lib/i18n/format-money";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { MandateOverviewRow } from "@/lib/mandates/list-all-mandates";
import { DateTimeText } from "./date-time-text";

/** Every mandate on the platform, each linking to its manual booking page. */
export function MandateTable({ mandates, locale }: { mandates: MandateOverviewRow[]; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  if (mandates.length === 0) return <EmptyState title={t("admin.mandates.empty")} />;
  // One number of decimals down the balance column, so the decimal points line up.
  const decimals = columnDecimals(mandates.map((m) => m.balance));
  return (
    <Table label={t("admin.mandates.title")} data-testid="admin-mandates">
      <thead>
        <tr>
          <th scope="col">{t("admin.mandates.name")}</th>
          <th scope="col" className={numericCell}>
            {t("admin.booking.poolBalance")}
          </th>
          <th scope="col">{t("admin.mandates.status")}</th>
          <th scope="col" className={numericCell}>
            {t("admin.mandates.members")}
          </th>
          <th scope="col" className={numericCell}>
            {t("admin.mandates.apiKeys")}
          </th>
          <th scope="col">{t("admin.mandates.created")}</th>
        </tr>
      </thead>
      <tbody>
        {mandates.map((m) => (
          <tr key={m.mandateId} data-mandate-id={m.mandateId}>
            <td>
              <Link href={`/admin/mandates/${m.mandateId}`}>{m.name}</Link>
            </td>
            <td className={numericCell}>
              <MoneyText amount={m.balance} currency={m.currency} locale={locale} decimals={decimals} />
            </td>
            <td>
              <MandateStatus row={m} locale={locale} />
            </td>
            <td className={numericCell}>{formatCount(m.memberCount, locale)}</td>
            <td className={numericCell}>{formatCount(m.activeApiKeyCount, locale)}</td>
            <td>
              <DateTimeText value={m.createdAt} locale={locale} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function MandateStatus({ row, locale }: { row: MandateOverviewRow; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  if (!row.poolEnabled) return <Badge tone="danger">{t("admin.mandates.disabled")}</Badge>;
  if (row.belowWarning) return <Badge tone="warn">{t("admin.mandates.belowWarning")}</Badge>;
  return <Badge tone="ok">{t("admin.mandates.ok")}</Badge>;
}
