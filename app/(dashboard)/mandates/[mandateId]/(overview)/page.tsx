import { notFound } from "next/navigation";
import { PageMain } from "@/components/shell/page-main";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { MoneyText } from "@/components/ui/money-text";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { getMandate } from "@/lib/mandates/get-mandate";
import styles from "./overview.module.css";

/** Mandate overview: for now its name and pool balance; charts and recent activity come later. */
export default async function MandateOverviewPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  await requirePageMember(mandateId);
  const [locale, mandate, pool] = await Promise.all([
    getRequestLocale(),
    getMandate(mandateId),
    getPoolAccount(mandateId),
  ]);
  if (!mandate) notFound();
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1 data-testid="mandate-name">{mandate.name}</h1>
      <div className={styles.grid}>
        <Card title={t("overview.poolBalance")}>
          <p className={styles.figure}>
            <MoneyText amount={pool.balance} currency={pool.currency} locale={locale} data-testid="pool-balance" />
          </p>
          <p className={styles.hint}>{t("overview.poolBalanceHint")}</p>
          {pool.enabled ? null : <Badge tone="danger">{t("overview.accountDisabled")}</Badge>}
        </Card>
        <Card title={t("overview.warningThreshold")}>
          <p className={styles.figure}>
            <MoneyText amount={pool.warningThreshold} currency={pool.currency} locale={locale} />
          </p>
        </Card>
      </div>
    </PageMain>
  );
}
