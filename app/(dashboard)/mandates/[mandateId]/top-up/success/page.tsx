import Link from "next/link";
import { notFound } from "next/navigation";
import styles from "@/components/payments/payments.module.css";
import { PageMain } from "@/components/shell/page-main";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { fulfilCheckoutSession } from "@/lib/payments/fulfil-checkout";
import { formatMoney } from "@/lib/money/format";
import type { MandatePageProps } from "../../mandate-page-props";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("topUpSuccess");

/**
 * Where Stripe sends the customer back after paying. It fulfils the session itself (the webhook
 * may come later, or never reach us): the one fulfilment credits once, whoever calls first. A
 * session of another mandate, or none at Stripe, is a missing page.
 */
export default async function TopUpSuccessPage({ params, searchParams }: MandatePageProps) {
  const { mandateId } = await params;
  await requirePageMember(mandateId, "ADMIN");
  const sessionId = (await searchParams).session_id;
  if (typeof sessionId !== "string" || !/^cs_[A-Za-z0-9_]{1,200}$/.test(sessionId)) notFound();
  const [locale, fulfilment] = await Promise.all([getRequestLocale(), fulfil(sessionId)]);
  if (!fulfilment || fulfilment.mandateId !== mandateId) notFound();
  const t = getTranslator(locale, "billing");
  const base = `/mandates/${mandateId}`;
  const outcome =
    fulfilment.status === "PAID"
      ? "paid"
      : fulfilment.status === "PENDING" || fulfilment.status === "PROCESSING"
        ? "processing"
        : "failed";
  return (
    <PageMain>
      <h1>{t("topUp.success.title")}</h1>
      <Card
        className={styles.result}
        role="status"
        data-testid="top-up-result"
        data-outcome={outcome}
        data-amount={fulfilment.amount}
        data-payment-id={fulfilment.paymentId}
      >
        <p className={styles.resultTitle}>
          {outcome === "paid"
            ? t("topUp.success.paid", { amount: formatMoney(fulfilment.amount, locale) })
            : t(`topUp.success.${outcome}`)}
        </p>
        <p className={styles.muted}>{t(`topUp.success.${outcome}Hint`)}</p>
        <p className={styles.links}>
          <Link href={base} className={buttonClassName("primary")}>
            {t("topUp.success.overview")}
          </Link>
          <Link href={`${base}/payments`} className={buttonClassName("secondary")}>
            {t("topUp.success.payments")}
          </Link>
          {outcome === "failed" ? (
            <Link href={`${base}/top-up`} className={buttonClassName("secondary")}>
              {t("topUp.success.again")}
            </Link>
          ) : null}
        </p>
      </Card>
    </PageMain>
  );
}

async function fulfil(sessionId: string) {
  try {
    return await fulfilCheckoutSession(sessionId);
  } catch (err) {
    // Stripe knows no such session (a typed or stale link): nothing to show. Anything else is
    // a fault for the error page.
    if (isStripeNotFound(err)) return null;
    throw err;
  }
}

function isStripeNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && "statusCode" in err && err.statusCode === 404;
}
