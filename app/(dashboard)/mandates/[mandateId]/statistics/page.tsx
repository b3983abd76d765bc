import { readStatisticsView } from "@/components/dashboard/statistics-url";
import { StatisticsView } from "@/components/dashboard/statistics-view";
import { PageMain } from "@/components/shell/page-main";
import { requirePageMember } from "@/lib/auth/page-guards";
import { currentBusinessMonth } from "@/lib/dashboard/business-dates";
import { getDashboardStatistics } from "@/lib/dashboard/get-dashboard-statistics";
import { seesPool } from "@/lib/dashboard/viewer";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { MandatePageProps } from "../mandate-page-props";
import { PageIntro } from "@/components/ui/page-intro";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("statistics");

/**
 * Usage statistics: the view named in the URL (default: this year by month) is read on the
 * server for the first paint; the client view takes over for switching and navigating.
 */
export default async function StatisticsPage({ params, searchParams }: MandatePageProps) {
  const { mandateId } = await params;
  const member = await requirePageMember(mandateId);
  const today = currentBusinessMonth();
  const view = readStatisticsView(await searchParams, today);
  const [locale, data] = await Promise.all([getRequestLocale(), getDashboardStatistics(member, view)]);
  const t = getTranslator(locale, "billing");
  const own = !seesPool(member);
  return (
    <PageMain>
      <h1>{t("statistics.title")}</h1>
      <PageIntro>{t(own ? "statistics.introOwn" : "statistics.introPool")}</PageIntro>
      <StatisticsView mandateId={mandateId} locale={locale} today={today} initial={{ view, data }} />
    </PageMain>
  );
}
