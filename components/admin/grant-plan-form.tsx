"use client";

import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { Locale } from "@/lib/i18n/config";
import { formatDateTime } from "@/lib/i18n/format-date-time";
import type { FormState } from "@/lib/forms/form-state";
import styles from "./admin.module.css";
import { FormAlert } from "./form-alert";
import { useAdminForm } from "./use-admin-form";

type GrantPlanState = FormState<never, { status: "ACTIVE" | "SCHEDULED"; effectiveFrom: string }>;

/** The grant's schema sits with its server action; the form shows the server's field codes. */
const CHECKED_ON_THE_SERVER = z.unknown();

export interface GrantPlanFormProps {
  /** The server action, bound to the mandate. */
  action: (prev: GrantPlanState, form: FormData) => Promise<GrantPlanState>;
  /** The active plans, labelled in the reader's language. */
  plans: { id: string; label: string }[];
  locale: Locale;
}

export function GrantPlanForm({ action, plans, locale }: GrantPlanFormProps) {
  const { t } = useTranslation("billing");
  const { state, pending, onSubmit, errorFor, formError } = useAdminForm(CHECKED_ON_THE_SERVER, action, {});
  const granted = state.ok ? (state.result ?? null) : null;

  return (
    // Keyed by the last grant: after one, the form starts empty (no second grant by accident).
    <form key={granted?.effectiveFrom ?? "new"} className={styles.stack} onSubmit={onSubmit} noValidate>
      <FormAlert code={formError} />
      {granted ? (
        <p role="status" className={styles.success} data-testid="grant-result" data-status={granted.status}>
          {granted.status === "ACTIVE"
            ? t("admin.subscription.grantedActive")
            : t("admin.subscription.grantedScheduled", {
                date: formatDateTime(granted.effectiveFrom, locale),
              })}
        </p>
      ) : null}
      <FormField label={t("admin.subscription.planSelect")} error={errorFor("planId")}>
        {(field) => (
          <Select {...field} name="planId" defaultValue="">
            <option value="" disabled>
              {t("admin.subscription.choosePlan")}
            </option>
            {plans.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.label}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField
        label={t("admin.subscription.reason")}
        hint={t("admin.subscription.reasonHint")}
        error={errorFor("reason")}
      >
        {(field) => <Input {...field} name="reason" autoComplete="off" maxLength={500} />}
      </FormField>
      <div>
        <Button type="submit" loading={pending}>
          {t("admin.subscription.grantSubmit")}
        </Button>
      </div>
    </form>
  );
}
