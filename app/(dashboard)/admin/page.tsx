import { PlaceholderPage } from "@/components/shell/placeholder-page";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";

// Placeholder until the platform admin pages land; only platform admins reach it.
export default async function PlatformAdminPage() {
  await requirePagePlatformAdmin();
  const locale = await getRequestLocale();
  return (
    <PlaceholderPage
      title={getTranslator(locale, "billing")("admin.title")}
      message={getTranslator(locale)("comingSoon")}
    />
  );
}
