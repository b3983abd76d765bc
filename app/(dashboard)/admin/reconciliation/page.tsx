import { ReconciliationReportView } from "@/components/admin/reconciliation-report";
import { PageMain } from "@/components/shell/page-main";
import { PageIntro } from "@/components/ui/page-intro";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { reconcile } from "@/lib/reconciliation/reconcile";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("reconciliation");

// Reconciled afresh on every visit: a cached report would hide a drift that appeared since.
export const dynamic = "force-dynamic";

/** Platform admin: the ledger reconciled per mandate (lib/reconciliation), as `npm run reconcile` prints it. */
export default async function ReconciliationPage() {
  await requirePagePlatformAdmin();
  const [locale, report] = await Promise.all([getRequestLocale(), reconcile()]);
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1>{t("admin.reconciliation.title")}</h1>
      <PageIntro>{t("admin.reconciliation.intro")}</PageIntro>
      <ReconciliationReportView report={report} locale={locale} />
    </PageMain>
  );
}
