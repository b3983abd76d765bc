import Link from "next/link";
import {
  AutoRechargeCard,
  MonthUsageCard,
  PoolBalanceCard,
  RecentTransactionsCard,
} from "@/components/dashboard/overview-cards";
import styles from "@/components/dashboard/dashboard.module.css";
import { RunwayCard } from "@/components/dashboard/runway-card";
import { PageMain } from "@/components/shell/page-main";
import { buttonClassName } from "@/components/ui/button";
import { requirePageMember } from "@/lib/auth/page-guards";
import { roleSatisfies } from "@/lib/auth/roles";
import { getOverview } from "@/lib/dashboard/get-overview";
import { getRunway } from "@/lib/runway/get-runway";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { PageIntro } from "@/components/ui/page-intro";
import { SubscriptionCard } from "@/components/plans/subscription-card";
import { subscriptionRequired } from "@/lib/subscriptions/subscription-required";
import { getMandateSubscriptions } from "@/lib/subscriptions/subscription-state";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("overview");

/**
 * Mandate overview, server-rendered: balance and warning, auto-recharge, this month's cost by
 * provider, the runway (OWNER and ADMIN, lib/runway) and the latest bookings, loaded in one
 * parallel round (lib/dashboard/get-overview.ts).
 * A MEMBER sees their own usage only; OWNER and ADMIN get the top-up button. loading.tsx shows
 * while the data loads.
 */
export default async function MandateOverviewPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  const member = await requirePageMember(mandateId);
  const [locale, overview, subscriptions, runway] = await Promise.all([
    getRequestLocale(),
    getOverview(member),
    getMandateSubscriptions(mandateId),
    getRunway(member),
  ]);
  const t = getTranslator(locale, "billing");
  const own = overview.scope === "own";
  return (
    <PageMain>
      <h1 data-testid="mandate-name">{overview.mandateName}</h1>
      {own ? <PageIntro data-testid="own-scope">{t("overview.ownScope")}</PageIntro> : null}
      <div className={styles.grid}>
        {overview.pool ? (
          <PoolBalanceCard
            pool={overview.pool}
            locale={locale}
            action={
              roleSatisfies(member.role, "ADMIN") ? (
                <Link
                  href={`/mandates/${mandateId}/top-up`}
                  className={buttonClassName("primary")}
                  data-testid="top-up-button"
                >
                  {t("topUp.button")}
                </Link>
              ) : null
            }
          />
        ) : null}
        {overview.pool ? (
          <AutoRechargeCard
            autoRecharge={overview.autoRecharge}
            currency={overview.pool.currency}
            locale={locale}
            settingsHref={roleSatisfies(member.role, "ADMIN") ? `/mandates/${mandateId}/settings` : undefined}
          />
        ) : null}
        <SubscriptionCard
          subscriptions={subscriptions}
          locale={locale}
          plansHref={`/mandates/${mandateId}/plans`}
          isOwner={roleSatisfies(member.role, "OWNER")}
          required={subscriptionRequired()}
        />
        <MonthUsageCard usage={overview.month} own={own} locale={locale} />
        {runway ? <RunwayCard runway={runway} locale={locale} /> : null}
      </div>
      <RecentTransactionsCard
        rows={overview.recent}
        own={own}
        showBalance={!own}
        transactionsHref={`/mandates/${mandateId}/transactions`}
        locale={locale}
      />
    </PageMain>
  );
}
