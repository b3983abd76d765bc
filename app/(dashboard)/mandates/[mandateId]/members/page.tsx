import { PlaceholderPage } from "@/components/shell/placeholder-page";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";

// Placeholder until the members page lands; the OWNER guard is already the real one.
export default async function MembersPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  await requirePageMember(mandateId, "OWNER");
  const t = getTranslator(await getRequestLocale());
  return <PlaceholderPage title={t("nav.members")} message={t("comingSoon")} />;
}
