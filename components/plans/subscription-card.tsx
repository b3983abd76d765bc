import Link from "next/link";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import { formatMoney } from "@/lib/money/format";
import type { MandateSubscriptions } from "@/lib/subscriptions/subscription-state";
import { planDate, SubscriptionHeadline } from "./subscription-summary";
import styles from "./plans.module.css";

/**
 * The overview's plan card: plan and state, or, without an operative plan, the prompt that says
 * AI calls are refused and who can act, with the way to the plans page for everyone.
 */
export function SubscriptionCard({
  subscriptions,
  locale,
  plansHref,
  isOwner,
  required,
}: {
  subscriptions: MandateSubscriptions;
  locale: Locale;
  plansHref: string;
  isOwner: boolean;
  /** Whether the platform refuses AI calls without a plan (SUBSCRIPTION_REQUIRED). */
  required: boolean;
}) {
  const t = getTranslator(locale, "billing");
  const { operative } = subscriptions;
  return (
    <Card title={t("overview.subscription")} data-testid="subscription-card" data-status={operative?.status ?? "NONE"}>
      {operative ? (
        <>
          <SubscriptionHeadline subscription={operative} locale={locale} />
          {operative.currentPeriodEnd ? (
            <p className={styles.hint}>
              {operative.recurring
                ? t("plans.renews", {
                    date: planDate(operative.currentPeriodEnd, locale),
                    amount: formatMoney(operative.plan.monthlyPriceCHF, locale),
                  })
                : t("plans.endsOn", { date: planDate(operative.currentPeriodEnd, locale) })}
            </p>
          ) : null}
          <p className={styles.hint}>
            <Link href={plansHref}>{t("overview.subscriptionLink")}</Link>
          </p>
        </>
      ) : (
        <div role={required ? "status" : undefined} data-testid="subscription-prompt">
          <p className={styles.line}>
            {required
              ? t(isOwner ? "overview.subscriptionPromptOwner" : "overview.subscriptionPrompt")
              : t("plans.noneOptional")}
          </p>
          <p className={styles.actions}>
            <Link
              href={plansHref}
              className={buttonClassName(isOwner ? "primary" : "secondary")}
              data-testid="subscription-prompt-button"
            >
              {t(isOwner ? "overview.subscriptionChoose" : "overview.subscriptionView")}
            </Link>
          </p>
        </div>
      )}
    </Card>
  );
}
