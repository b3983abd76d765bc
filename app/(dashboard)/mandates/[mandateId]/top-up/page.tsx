import { TopUpForm } from "@/components/payments/top-up-form";
import styles from "@/components/payments/payments.module.css";
import { PageMain } from "@/components/shell/page-main";
import { Card } from "@/components/ui/card";
import { PageIntro } from "@/components/ui/page-intro";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { fieldHelp, fieldLabel } from "@/lib/i18n/model-metadata";
import { topUpLimits } from "@/lib/payments/top-up-limits";
import { startTopUpAction } from "./actions";
import layout from "@/components/ui/form-layout.module.css";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("topUp");

/** Top-up by card: choose an amount here, pay on Stripe's checkout page, come back to success. */
export default async function TopUpPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  // Again here, not only in the layout: layouts are skipped on client-side navigation.
  await requirePageMember(mandateId, "ADMIN");
  const locale = await getRequestLocale();
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1>{t("topUp.title")}</h1>
      <PageIntro>{t("topUp.intro")}</PageIntro>
      <div className={layout.layout}>
        <TopUpForm locale={locale} limits={topUpLimits()} action={startTopUpAction.bind(null, mandateId)} />
        <Card title={fieldLabel("BillingSettings", "autoRechargeEnabled", locale)}>
          <p className={styles.muted}>{fieldHelp("BillingSettings", "autoRechargeEnabled", locale)}.</p>
          <p className={styles.muted}>{fieldHelp("Payment", "saveCard", locale)}.</p>
        </Card>
      </div>
    </PageMain>
  );
}
