import { CreateMandateForm } from "@/components/admin/create-mandate-form";
import styles from "@/components/admin/admin.module.css";
import { MandateTable } from "@/components/admin/mandate-table";
import { PageMain } from "@/components/shell/page-main";
import { Card } from "@/components/ui/card";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { listAllMandates } from "@/lib/mandates/list-all-mandates";
import { createMandateAction } from "./actions";
import { PageIntro } from "@/components/ui/page-intro";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("admin");

/** Platform admin: every mandate with its pool balance, and creating a new one. */
export default async function PlatformAdminPage() {
  await requirePagePlatformAdmin();
  const [locale, mandates] = await Promise.all([getRequestLocale(), listAllMandates()]);
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1>{t("admin.title")}</h1>
      <PageIntro>{t("admin.intro")}</PageIntro>
      <section className={styles.section} aria-labelledby="admin-mandates-title">
        <h2 id="admin-mandates-title">{t("admin.mandates.title")}</h2>
        <MandateTable mandates={mandates} locale={locale} />
      </section>
      <div className={styles.section}>
        <Card title={t("admin.create.title")}>
          <CreateMandateForm action={createMandateAction} />
        </Card>
      </div>
    </PageMain>
  );
}
