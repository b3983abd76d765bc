import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { MoneyText } from "@/components/ui/money-text";
import { numericCell, Table } from "@/components/ui/table";
import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { PlanView } from "@/lib/subscriptions/plan-catalogue";
import styles from "./admin.module.css";

/** The whole catalogue, inactive plans included, each with a link to edit it. */
export function PlanTable({ plans, locale }: { plans: PlanView[]; locale: Locale }) {
  const t = getTranslator(locale, "billing");
  if (plans.length === 0) return <EmptyState title={t("admin.plans.empty")} />;
  return (
    <Table label={t("admin.plans.catalogue")} data-testid="admin-plans">
      <thead>
        <tr>
          <th scope="col">{t("admin.plans.code")}</th>
          <th scope="col">{t("admin.plans.names")}</th>
          <th scope="col" className={numericCell}>
            {t("admin.plans.monthlyPrice")}
          </th>
          <th scope="col" className={numericCell}>
            {t("admin.plans.aiBudget")}
          </th>
          <th scope="col" className={numericCell}>
            {t("admin.plans.includedStorage")}
          </th>
          <th scope="col">{t("admin.plans.status")}</th>
          <th scope="col">{t("admin.plans.stripePrice")}</th>
          <th scope="col">{t("admin.plans.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {plans.map((plan) => (
          <tr key={plan.id} data-plan-code={plan.code}>
            <td className={styles.mono}>{plan.code}</td>
            {/* Both names in one column: the catalogue fits a laptop's width with its actions. */}
            <td>
              <span lang="de">{plan.name.de}</span>
              <br />
              <span lang="en" className={styles.muted}>
                {plan.name.en}
              </span>
            </td>
            <td className={numericCell}>
              <MoneyText amount={plan.monthlyPriceCHF} locale={locale} />
            </td>
            <td className={numericCell}>
              <MoneyText amount={plan.aiBudgetCHF} locale={locale} />
            </td>
            <td className={numericCell}>{t("admin.plans.megabytes", { value: plan.includedStorageMB })}</td>
            <td>
              {plan.active ? (
                <Badge tone="ok">{t("admin.plans.active")}</Badge>
              ) : (
                <Badge>{t("admin.plans.inactive")}</Badge>
              )}
            </td>
            <td className={styles.mono}>
              {plan.stripePriceId ?? <span className={styles.muted}>{t("admin.plans.noStripePrice")}</span>}
            </td>
            <td>
              <Link
                href={`/admin/plans?edit=${plan.id}#plan-form`}
                aria-label={t("admin.plans.editLabel", { code: plan.code })}
              >
                {t("admin.plans.edit")}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
