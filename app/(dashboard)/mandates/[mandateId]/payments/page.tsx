import Link from "next/link";
import { PaymentsTable } from "@/components/payments/payments-table";
import { PageMain } from "@/components/shell/page-main";
import { buttonClassName } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageIntro } from "@/components/ui/page-intro";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { listPayments } from "@/lib/payments/list-payments";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("payments");

/** The mandate's top-ups with their status, card, refunds, chargebacks and receipts. */
export default async function PaymentsPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  // Again here, not only in the layout: layouts are skipped on client-side navigation.
  await requirePageMember(mandateId, "ADMIN");
  const [locale, payments] = await Promise.all([getRequestLocale(), listPayments(mandateId)]);
  const t = getTranslator(locale, "billing");
  const topUp = (
    <Link href={`/mandates/${mandateId}/top-up`} className={buttonClassName("primary")} data-testid="top-up-link">
      {t("topUp.button")}
    </Link>
  );
  return (
    <PageMain>
      <h1>{t("payments.title")}</h1>
      <PageIntro>{t("payments.intro")}</PageIntro>
      {payments.length === 0 ? (
        <EmptyState title={t("payments.empty")} description={t("payments.emptyHint")} action={topUp} />
      ) : (
        <>
          <p>{topUp}</p>
          <PaymentsTable payments={payments} locale={locale} />
        </>
      )}
    </PageMain>
  );
}
