import { Badge } from "@/components/ui/badge";
import { MoneyText } from "@/components/ui/money-text";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { MandateSubscriptions, SubscriptionView } from "@/lib/subscriptions/subscription-state";
import fieldStyles from "@/components/ui/field.module.css";
import styles from "./admin.module.css";

const STATUS_TONE = {
  PENDING: "neutral",
  SCHEDULED: "accent",
  TRIALING: "ok",
  ACTIVE: "ok",
  PAST_DUE: "warn",
  EXPIRED: "danger",
} as const satisfies Record<SubscriptionView["status"], string>;

/** What the mandate runs on (and what follows it), as the platform admin sees it: source and ids included. */
export function PlanSubscription({ subscriptions, locale }: { subscriptions: MandateSubscriptions; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  const { operative, waiting } = subscriptions;
  return (
    <div className={styles.stack} data-testid="admin-subscription">
      {operative ? (
        <SubscriptionFacts subscription={operative} locale={locale} testId="subscription-operative" />
      ) : (
        <p data-testid="subscription-none">{t("admin.subscription.none")}</p>
      )}
      {waiting ? (
        <>
          <h3 className={fieldStyles.label}>{t("admin.subscription.next")}</h3>
          <SubscriptionFacts subscription={waiting} locale={locale} testId="subscription-waiting" />
        </>
      ) : null}
    </div>
  );
}

function SubscriptionFacts({
  subscription: s,
  locale,
  testId,
}: {
  subscription: SubscriptionView;
  locale: Locale;
  testId: string;
}) {
  const t = getTranslator(locale, "billing");
  const date = (iso: string) => formatDateTime(iso, locale, false);
  return (
    <dl className={styles.facts} data-testid={testId} data-status={s.status}>
      <dt>{t("admin.subscription.plan")}</dt>
      <dd data-testid="subscription-plan">
        {s.plan.name[locale]} <span className={styles.muted}>({s.plan.code})</span>
      </dd>
      <dt>{t("admin.subscription.state")}</dt>
      <dd>
        <Badge tone={STATUS_TONE[s.status]}>
          <span data-testid="subscription-status">{t(`admin.subscription.status.${s.status}`)}</span>
        </Badge>{" "}
        {s.recurring ? null : <span className={styles.muted}>{t("admin.subscription.notRecurring")}</span>}
      </dd>
      <dt>{t("admin.subscription.period")}</dt>
      <dd>
        {s.currentPeriodStart && s.currentPeriodEnd
          ? t("admin.subscription.periodRange", { start: date(s.currentPeriodStart), end: date(s.currentPeriodEnd) })
          : s.effectiveFrom
            ? t("admin.subscription.from", { date: date(s.effectiveFrom) })
            : t("admin.subscription.noPeriod")}
      </dd>
      <dt>{t("admin.subscription.source")}</dt>
      <dd>{t(s.granted ? "admin.subscription.granted" : "admin.subscription.stripe")}</dd>
      <dt>{t("admin.subscription.credited")}</dt>
      <dd>
        <MoneyText amount={s.creditedThisPeriod} locale={locale} data-testid="subscription-credited" />
      </dd>
    </dl>
  );
}
