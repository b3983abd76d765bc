import Link from "next/link";
import styles from "@/components/payments/payments.module.css";
import { PageMain } from "@/components/shell/page-main";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { formatMoney } from "@/lib/money/format";
import { getPayment } from "@/lib/payments/list-payments";
import type { MandatePageProps } from "../../mandate-page-props";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("topUpCancelled");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where Stripe sends the customer who cancelled on the checkout page: nothing was charged. The
 * payment named in the URL only lends its amount, and only when it is this mandate's.
 */
export default async function TopUpCancelledPage({ params, searchParams }: MandatePageProps) {
  const { mandateId } = await params;
  await requirePageMember(mandateId, "ADMIN");
  const paymentId = (await searchParams).payment;
  const [locale, payment] = await Promise.all([
    getRequestLocale(),
    typeof paymentId === "string" && UUID.test(paymentId) ? getPayment(mandateId, paymentId) : null,
  ]);
  const t = getTranslator(locale, "billing");
  const base = `/mandates/${mandateId}`;
  return (
    <PageMain>
      <h1>{t("topUp.cancelled.title")}</h1>
      <Card className={styles.result} role="status" data-testid="top-up-cancelled">
        <p>
          {payment
            ? t("topUp.cancelled.messageAmount", { amount: formatMoney(payment.amount, locale, payment.currency) })
            : t("topUp.cancelled.message")}
        </p>
        <p className={styles.links}>
          <Link href={`${base}/top-up`} className={buttonClassName("primary")}>
            {t("topUp.cancelled.again")}
          </Link>
          <Link href={base} className={buttonClassName("secondary")}>
            {t("topUp.cancelled.overview")}
          </Link>
        </p>
      </Card>
    </PageMain>
  );
}
