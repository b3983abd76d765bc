import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import { formatMoney } from "@/lib/money/format";
import type { PlanView } from "@/lib/subscriptions/plan-catalogue";
import { formatStorage } from "./format-storage";
import styles from "./plans.module.css";

/** One plan of the catalogue, side by side with the others; the current one is marked. */
export function PlanCard({
  plan,
  locale,
  current,
  scheduledFrom,
  action,
}: {
  plan: PlanView;
  locale: Locale;
  /** The mandate runs on this plan now. */
  current: boolean;
  /** Formatted date from which a scheduled change moves to this plan. */
  scheduledFrom?: string;
  /** The owner's button for this plan, if any. */
  action?: ReactNode;
}) {
  const t = getTranslator(locale, "billing");
  return (
    <Card
      title={plan.name[locale]}
      titleLevel={3}
      className={[styles.plan, current ? styles.currentPlan : ""].filter(Boolean).join(" ")}
      data-testid="plan-card"
      data-plan-code={plan.code}
      data-current={current ? "true" : undefined}
      aria-current={current ? "true" : undefined}
    >
      {current || scheduledFrom ? (
        <p className={styles.badges}>
          {current ? <Badge tone="accent">{t("plans.current")}</Badge> : null}
          {scheduledFrom ? <Badge tone="neutral">{t("plans.scheduledFrom", { date: scheduledFrom })}</Badge> : null}
        </p>
      ) : null}
      <p className={styles.price} data-testid="plan-price">
        {t("plans.perMonth", { amount: formatMoney(plan.monthlyPriceCHF, locale) })}
      </p>
      <p className={styles.line} data-testid="plan-budget" data-amount={plan.aiBudgetCHF}>
        {t("plans.aiBudget", { amount: formatMoney(plan.aiBudgetCHF, locale) })}
      </p>
      <p className={styles.line}>{t("plans.storage", { volume: formatStorage(plan.includedStorageMB, locale) })}</p>
      {action}
    </Card>
  );
}
