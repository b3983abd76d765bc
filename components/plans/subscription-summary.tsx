import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { getTranslator } from "@/lib/i18n/get-translator";
import { formatMoney } from "@/lib/money/format";
import type { MandateSubscriptions, SubscriptionView } from "@/lib/subscriptions/subscription-state";
import styles from "./plans.module.css";

export const STATUS_TONE: Record<SubscriptionView["status"], "neutral" | "accent" | "ok" | "warn" | "danger"> = {
  PENDING: "neutral",
  SCHEDULED: "neutral",
  TRIALING: "accent",
  ACTIVE: "ok",
  PAST_DUE: "warn",
  EXPIRED: "danger",
};

/** A date as the plans show it: the day in Zurich, no time. */
export function planDate(iso: string, locale: Locale): string {
  return formatDateTime(iso, locale, false);
}

/**
 * The mandate's subscription: plan and state, the period, what renews when (or when it ends),
 * the budget credited this period, and what waits to follow.
 */
export function SubscriptionSummary({
  subscriptions,
  locale,
  required,
  actions,
}: {
  subscriptions: MandateSubscriptions;
  locale: Locale;
  /** Whether the platform refuses AI calls without a plan (SUBSCRIPTION_REQUIRED). */
  required: boolean;
  /** The owner's buttons (cancel, portal) or the line saying the owner chooses. */
  actions?: ReactNode;
}) {
  const t = getTranslator(locale, "billing");
  const { operative, waiting } = subscriptions;
  return (
    <Card
      title={t("plans.subscription")}
      className={styles.summary}
      data-testid="subscription-summary"
      data-status={operative?.status ?? "NONE"}
    >
      {operative ? (
        <>
          <SubscriptionHeadline subscription={operative} locale={locale} />
          {operative.status === "PAST_DUE" ? <p className={styles.hint}>{t("plans.pastDueHint")}</p> : null}
          {operative.currentPeriodStart && operative.currentPeriodEnd ? (
            <p className={styles.hint}>
              {t("plans.period", {
                start: planDate(operative.currentPeriodStart, locale),
                end: planDate(operative.currentPeriodEnd, locale),
              })}
            </p>
          ) : null}
          {operative.currentPeriodEnd ? (
            <p className={styles.line} data-testid="subscription-renewal">
              {operative.recurring
                ? t("plans.renews", {
                    date: planDate(operative.currentPeriodEnd, locale),
                    amount: formatMoney(operative.plan.monthlyPriceCHF, locale),
                  })
                : t("plans.endsOn", { date: planDate(operative.currentPeriodEnd, locale) })}
            </p>
          ) : null}
          <p className={styles.line} data-testid="subscription-credited" data-amount={operative.creditedThisPeriod}>
            {t("plans.credited", { amount: formatMoney(operative.creditedThisPeriod, locale) })}
          </p>
          {operative.granted ? <p className={styles.hint}>{t("plans.grantedNote")}</p> : null}
        </>
      ) : (
        <p className={styles.line} data-testid="subscription-none">
          {t(required ? "plans.none" : "plans.noneOptional")}
        </p>
      )}
      {waiting?.status === "SCHEDULED" ? (
        <p className={styles.line} data-testid="subscription-scheduled">
          {t("plans.changesTo", {
            plan: waiting.plan.name[locale],
            date: planDate(waiting.effectiveFrom ?? operative?.currentPeriodEnd ?? new Date().toISOString(), locale),
          })}
        </p>
      ) : null}
      {waiting?.status === "PENDING" ? (
        <p className={styles.hint} data-testid="subscription-pending">
          {t("plans.pendingCheckout", { plan: waiting.plan.name[locale] })}
        </p>
      ) : null}
      {actions}
    </Card>
  );
}

/** The plan's name and its state, as the overview and the plans page head a subscription. */
export function SubscriptionHeadline({ subscription, locale }: { subscription: SubscriptionView; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  return (
    <p className={styles.badges}>
      <strong data-testid="subscription-plan">{subscription.plan.name[locale]}</strong>
      <Badge tone={STATUS_TONE[subscription.status]}>
        <span data-testid="subscription-status">{t(`plans.status.${subscription.status}`)}</span>
      </Badge>
    </p>
  );
}
