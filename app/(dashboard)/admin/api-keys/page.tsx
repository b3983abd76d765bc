import { PlaceholderPage } from "@/components/shell/placeholder-page";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";

// Placeholder until API key management lands; only platform admins reach it.
export default async function ApiKeysPage() {
  await requirePagePlatformAdmin();
  const t = getTranslator(await getRequestLocale());
  return <PlaceholderPage title={t("nav.apiKeys")} message={t("comingSoon")} />;
}
