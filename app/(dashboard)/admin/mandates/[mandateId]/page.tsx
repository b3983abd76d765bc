import { randomUUID } from "node:crypto";
import Link from "next/link";
import { notFound } from "next/navigation";
import styles from "@/components/admin/admin.module.css";
import fieldStyles from "@/components/ui/field.module.css";
import { ManualBookingForm } from "@/components/admin/manual-booking-form";
import { ManualBookingsTable } from "@/components/admin/manual-bookings-table";
import { GrantPlanForm } from "@/components/admin/grant-plan-form";
import { PlanSubscription } from "@/components/admin/plan-subscription";
import { PageMain } from "@/components/shell/page-main";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { MoneyText } from "@/components/ui/money-text";
import { listManualBookings } from "@/lib/admin/list-manual-bookings";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { fieldLabel } from "@/lib/i18n/model-metadata";
import { formatMoney } from "@/lib/money/format";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { getMandate } from "@/lib/mandates/get-mandate";
import { listPlans } from "@/lib/subscriptions/plan-catalogue";
import { getMandateSubscriptions } from "@/lib/subscriptions/subscription-state";
import { bookManualTransactionAction, grantPlanAction } from "./actions";
import { PageIntro } from "@/components/ui/page-intro";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("adminMandate");

/**
 * A mandate for the platform admin: pool balance, manual booking, its subscription and granting
 * a plan, recent manual bookings.
 */
export default async function AdminMandatePage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  await requirePagePlatformAdmin();
  const mandate = await getMandate(mandateId);
  if (!mandate) notFound();
  const [locale, pool, bookings, subscriptions, activePlans] = await Promise.all([
    getRequestLocale(),
    getPoolAccount(mandateId),
    listManualBookings(mandateId),
    getMandateSubscriptions(mandateId),
    listPlans({ activeOnly: true }),
  ]);
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <p className={styles.actions}>
        <Link href="/admin">← {t("admin.booking.back")}</Link>
        <Link href={`/mandates/${mandateId}`}>{t("admin.booking.dashboard")}</Link>
      </p>
      <h1 data-testid="mandate-name">{mandate.name}</h1>
      <div className={styles.grid}>
        <Card title={t("admin.booking.poolBalance")}>
          <p className={styles.figure}>
            <MoneyText amount={pool.balance} currency={pool.currency} locale={locale} data-testid="pool-balance" />
          </p>
          <p className={fieldStyles.hint}>
            {fieldLabel("BillingAccount", "warningThreshold", locale)}:{" "}
            <MoneyText amount={pool.warningThreshold} currency={pool.currency} locale={locale} />
          </p>
          {pool.enabled ? null : <Badge tone="danger">{t("admin.mandates.disabled")}</Badge>}
        </Card>
        <Card title={t("admin.booking.title")}>
          <PageIntro>{t("admin.booking.intro")}</PageIntro>
          <ManualBookingForm
            action={bookManualTransactionAction.bind(null, mandateId)}
            // A fresh key per rendering: the same rendering sent twice books once.
            idempotencyKey={randomUUID()}
            currency={pool.currency}
            locale={locale}
          />
        </Card>
      </div>
      <div className={`${styles.grid} ${styles.section}`}>
        <Card title={t("admin.subscription.title")}>
          <PlanSubscription subscriptions={subscriptions} locale={locale} />
        </Card>
        <Card title={t("admin.subscription.grantTitle")}>
          <PageIntro>{t("admin.subscription.grantIntro")}</PageIntro>
          <GrantPlanForm
            action={grantPlanAction.bind(null, mandateId)}
            plans={activePlans.map((plan) => ({
              id: plan.id,
              label: t("admin.subscription.planOption", {
                name: plan.name[locale],
                price: formatMoney(plan.monthlyPriceCHF, locale, "CHF"),
                budget: formatMoney(plan.aiBudgetCHF, locale, "CHF"),
              }),
            }))}
            locale={locale}
          />
        </Card>
      </div>
      <section className={styles.section} aria-labelledby="manual-bookings-title">
        <h2 id="manual-bookings-title">{t("admin.booking.recent")}</h2>
        <ManualBookingsTable bookings={bookings} locale={locale} />
      </section>
    </PageMain>
  );
}
