import styles from "@/components/admin/admin.module.css";
import { PlanForm } from "@/components/admin/plan-form";
import { PlanTable } from "@/components/admin/plan-table";
import { PageMain } from "@/components/shell/page-main";
import { Card } from "@/components/ui/card";
import { PageIntro } from "@/components/ui/page-intro";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { listPlans } from "@/lib/subscriptions/plan-catalogue";
import { savePlanAction } from "./actions";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("plansCatalogue");

/** Platform admin: the plan catalogue, and one form that creates a plan or edits the one in `?edit=`. */
export default async function AdminPlansPage({
  searchParams,
}: {
  searchParams: Promise<{ edit?: string | string[] }>;
}) {
  await requirePagePlatformAdmin();
  const [locale, plans, { edit }] = await Promise.all([getRequestLocale(), listPlans(), searchParams]);
  const t = getTranslator(locale, "billing");
  const editing = typeof edit === "string" ? plans.find((plan) => plan.id === edit) : undefined;
  return (
    <PageMain>
      <h1>{t("admin.plans.title")}</h1>
      <PageIntro>{t("admin.plans.intro")}</PageIntro>
      <section className={styles.section} aria-labelledby="admin-plans-title">
        <h2 id="admin-plans-title">{t("admin.plans.catalogue")}</h2>
        <PlanTable plans={plans} locale={locale} />
      </section>
      <div className={styles.section}>
        <Card title={editing ? t("admin.plans.editTitle", { code: editing.code }) : t("admin.plans.createTitle")}>
          <PlanForm key={editing?.id ?? "new"} action={savePlanAction} plan={editing} />
        </Card>
      </div>
    </PageMain>
  );
}
