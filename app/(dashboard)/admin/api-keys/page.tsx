import styles from "@/components/admin/admin.module.css";
import { ApiKeyTable } from "@/components/admin/api-key-table";
import { CreateApiKeyForm } from "@/components/admin/create-api-key-form";
import { PageMain } from "@/components/shell/page-main";
import { Card } from "@/components/ui/card";
import { listApiKeysWithMandates } from "@/lib/api-keys/list-api-keys-with-mandates";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { listAllMandates } from "@/lib/mandates/list-all-mandates";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";
import { PageIntro } from "@/components/ui/page-intro";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("apiKeys");

/** Platform admin: API keys for the machine API, created (shown once), listed and revoked. */
export default async function ApiKeysPage() {
  await requirePagePlatformAdmin();
  const [locale, keys, mandates] = await Promise.all([
    getRequestLocale(),
    listApiKeysWithMandates(),
    listAllMandates(),
  ]);
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1>{t("admin.apiKeys.title")}</h1>
      <PageIntro>{t("admin.apiKeys.intro")}</PageIntro>
      <Card title={t("admin.apiKeys.create")}>
        <CreateApiKeyForm
          action={createApiKeyAction}
          mandates={mandates.map(({ mandateId, name }) => ({ mandateId, name }))}
        />
      </Card>
      <section className={styles.section} aria-labelledby="api-keys-title">
        <h2 id="api-keys-title">{t("admin.apiKeys.list")}</h2>
        <ApiKeyTable keys={keys} locale={locale} revokeAction={revokeApiKeyAction} />
      </section>
    </PageMain>
  );
}
