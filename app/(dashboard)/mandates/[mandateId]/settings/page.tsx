import { PlaceholderPage } from "@/components/shell/placeholder-page";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";

// Placeholder until the settings page lands; the ADMIN guard is already the real one.
export default async function SettingsPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  await requirePageMember(mandateId, "ADMIN");
  const t = getTranslator(await getRequestLocale());
  return <PlaceholderPage title={t("nav.settings")} message={t("comingSoon")} />;
}
