import { CancelPlanButton, ChoosePlanForm, PortalForm } from "@/components/plans/plan-buttons";
import { PlanCard } from "@/components/plans/plan-card";
import styles from "@/components/plans/plans.module.css";
import { planDate, SubscriptionSummary } from "@/components/plans/subscription-summary";
import { PageMain } from "@/components/shell/page-main";
import formMessage from "@/components/ui/form-message.module.css";
import { EmptyState } from "@/components/ui/empty-state";
import { PageIntro } from "@/components/ui/page-intro";
import { requirePageMember } from "@/lib/auth/page-guards";
import { roleSatisfies } from "@/lib/auth/roles";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { listPlans, type PlanView } from "@/lib/subscriptions/plan-catalogue";
import { subscriptionRequired } from "@/lib/subscriptions/subscription-required";
import { getMandateSubscriptions } from "@/lib/subscriptions/subscription-state";
import type { MandatePageProps } from "../mandate-page-props";
import { cancelPlanAction, choosePlanAction, openPortalAction } from "./actions";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("plans");

/** What Stripe's redirects and a scheduled change put in the query, as the status line's key. */
function noticeOf(query: Record<string, string | string[] | undefined>): string | null {
  if (query.checkout === "success") return "checkoutSuccess";
  if (query.checkout === "cancelled") return "checkoutCancelled";
  if (query.change === "scheduled") return "changeScheduled";
  return null;
}

/**
 * The plans: the catalogue side by side with the current plan marked, and the subscription's
 * state. Every member sees them; only the OWNER gets buttons (the actions check again).
 */
export default async function PlansPage({ params, searchParams }: MandatePageProps) {
  const { mandateId } = await params;
  const member = await requirePageMember(mandateId);
  const [locale, query, plans, subscriptions] = await Promise.all([
    getRequestLocale(),
    searchParams,
    listPlans({ activeOnly: true }),
    getMandateSubscriptions(mandateId),
  ]);
  const t = getTranslator(locale, "billing");
  const isOwner = roleSatisfies(member.role, "OWNER");
  const { operative, waiting } = subscriptions;
  // Stripe's webhook often arrives before the customer is back: then say it is done.
  const asked = noticeOf(query);
  const notice = asked === "checkoutSuccess" && operative && !waiting ? "checkoutActive" : asked;
  const scheduled = waiting?.status === "SCHEDULED" ? waiting : null;
  const scheduledFrom = scheduled ? (scheduled.effectiveFrom ?? operative?.currentPeriodEnd ?? null) : null;
  // A plan the platform granted is changed by the platform; Stripe's checkout would refuse it.
  const mayChoose = isOwner && !operative?.granted;
  const choose = choosePlanAction.bind(null, mandateId);

  function planAction(plan: PlanView) {
    if (!mayChoose || scheduled?.plan.id === plan.id) return undefined;
    const name = plan.name[locale];
    if (!operative) {
      return (
        <ChoosePlanForm
          planId={plan.id}
          label={t("plans.subscribe")}
          accessibleLabel={t("plans.subscribeLabel", { plan: name })}
          variant="primary"
          action={choose}
        />
      );
    }
    if (operative.plan.id === plan.id) {
      // Running and renewing: nothing to choose. Cancelled (or about to change): it may be kept.
      if (operative.recurring && !scheduled) return undefined;
      return (
        <ChoosePlanForm
          planId={plan.id}
          label={t("plans.keep")}
          accessibleLabel={t("plans.keepLabel", {
            plan: name,
            date: operative.currentPeriodEnd ? planDate(operative.currentPeriodEnd, locale) : "",
          })}
          variant="secondary"
          action={choose}
        />
      );
    }
    return (
      <ChoosePlanForm
        planId={plan.id}
        label={t("plans.change")}
        accessibleLabel={t("plans.changeLabel", { plan: name })}
        variant="secondary"
        action={choose}
      />
    );
  }

  return (
    <PageMain>
      <h1>{t("plans.title")}</h1>
      <PageIntro>{t("plans.intro")}</PageIntro>
      {notice ? (
        <p
          role="status"
          className={`${formMessage.status} ${styles.notice}`}
          data-testid="plans-notice"
          data-notice={notice}
        >
          {t(`plans.notice.${notice}`)}
        </p>
      ) : null}
      <SubscriptionSummary
        subscriptions={subscriptions}
        locale={locale}
        required={subscriptionRequired()}
        actions={
          isOwner ? (
            <div className={styles.actions}>
              {operative?.recurring ? (
                <CancelPlanButton
                  planName={operative.plan.name[locale]}
                  endsOn={operative.currentPeriodEnd ? planDate(operative.currentPeriodEnd, locale) : ""}
                  action={cancelPlanAction.bind(null, mandateId)}
                />
              ) : null}
              <PortalForm action={openPortalAction.bind(null, mandateId)} />
            </div>
          ) : (
            <p className={styles.hint} data-testid="plans-owner-chooses">
              {t("plans.ownerChooses")}
            </p>
          )
        }
      />
      {plans.length === 0 ? (
        <EmptyState title={t("plans.noPlans")} />
      ) : (
        <div className={styles.plans} data-testid="plans">
          {plans.map((plan) => (
            <PlanCard
              key={plan.id}
              plan={plan}
              locale={locale}
              current={operative?.plan.id === plan.id}
              scheduledFrom={
                scheduledFrom && scheduled?.plan.id === plan.id ? planDate(scheduledFrom, locale) : undefined
              }
              action={planAction(plan)}
            />
          ))}
        </div>
      )}
    </PageMain>
  );
}
