import { PlaceholderPage } from "@/components/shell/placeholder-page";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";

// Placeholder until the transactions page lands; the MEMBER guard is already the real one.
export default async function TransactionsPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  await requirePageMember(mandateId);
  const t = getTranslator(await getRequestLocale());
  return <PlaceholderPage title={t("nav.transactions")} message={t("comingSoon")} />;
}
