import Link from "next/link";
import { redirect } from "next/navigation";
import { PageMain } from "@/components/shell/page-main";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { MoneyText } from "@/components/ui/money-text";
import { numericCell, Table } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { enumLabel } from "@/lib/i18n/model-metadata";
import { listUserMandates } from "@/lib/mandates/list-user-mandates";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("mandates");

export default async function MandatesPage() {
  const user = await requirePageUser();
  const [locale, mandates] = await Promise.all([
    getRequestLocale(),
    listUserMandates({ userId: user.id, includeAll: user.isPlatformAdmin }),
  ]);
  // Nothing to choose: straight to the only mandate (outside any try: redirect throws).
  const [only] = mandates;
  if (only && mandates.length === 1) redirect(`/mandates/${only.mandateId}`);

  const t = getTranslator(locale, "billing");
  const tc = getTranslator(locale);
  // A MEMBER sees no pool figure (the balance is null there); nobody who sees none gets the column.
  const showBalance = mandates.some((m) => m.balance !== null);
  return (
    <PageMain>
      <h1>{t("mandates.title")}</h1>
      {mandates.length === 0 ? (
        <Card>
          <EmptyState title={t("mandates.empty")} description={t("mandates.emptyHint")} />
        </Card>
      ) : (
        <Table label={t("mandates.title")}>
          <thead>
            <tr>
              <th scope="col">{tc("header.mandate")}</th>
              <th scope="col">{t("mandates.role")}</th>
              {showBalance ? (
                <th scope="col" className={numericCell}>
                  {t("mandates.balance")}
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {mandates.map((m) => (
              <tr key={m.mandateId}>
                <td>
                  <Link href={`/mandates/${m.mandateId}`}>{m.name}</Link>
                </td>
                <td>
                  {m.role ? (
                    <Badge>{enumLabel("MandateRole", m.role, locale)}</Badge>
                  ) : (
                    <Badge tone="accent">{t("mandates.platformAccess")}</Badge>
                  )}
                </td>
                {showBalance ? (
                  <td className={numericCell} data-testid="mandate-pool-balance">
                    {m.balance === null ? (
                      <span title={t("mandates.balanceHidden")}>
                        <span aria-hidden="true">–</span>
                        <span className="visually-hidden">{t("mandates.balanceHidden")}</span>
                      </span>
                    ) : (
                      <MoneyText amount={m.balance} currency={m.currency} locale={locale} />
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </PageMain>
  );
}
