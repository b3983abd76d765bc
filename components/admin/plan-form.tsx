"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { FormState } from "@/lib/forms/form-state";
import type { PlanView } from "@/lib/subscriptions/plan-catalogue";
import styles from "./admin.module.css";
import { FormAlert } from "./form-alert";
import { useAdminForm } from "./use-admin-form";

type SavePlanState = FormState<never, { planId: string; code: string; created: boolean }>;

/**
 * PlanInput lives beside the database code (lib/subscriptions/plan-catalogue.ts) and cannot be
 * shipped to the browser, so this form sends everything and shows the server's field codes.
 */
const CHECKED_ON_THE_SERVER = z.unknown();

export interface PlanFormProps {
  action: (prev: SavePlanState, form: FormData) => Promise<SavePlanState>;
  /** The plan being edited; absent: a new plan. */
  plan?: PlanView;
}

export function PlanForm({ action, plan }: PlanFormProps) {
  const { t } = useTranslation("billing");
  const { state, pending, onSubmit, errorFor, formError } = useAdminForm(CHECKED_ON_THE_SERVER, action, {});
  const saved = state.ok ? (state.result ?? null) : null;

  return (
    // A new plan's form starts empty again once it is saved; an edited one keeps what was saved.
    <form
      key={plan?.id ?? saved?.planId ?? "new"}
      id="plan-form"
      className={styles.stack}
      onSubmit={onSubmit}
      noValidate
    >
      <FormAlert code={formError} />
      {saved ? (
        <p role="status" className={styles.success} data-testid="plan-saved">
          {t(saved.created ? "admin.plans.created" : "admin.plans.saved", { code: saved.code })}
        </p>
      ) : null}
      <input type="hidden" name="mode" value={plan ? "edit" : "create"} />
      <FormField
        label={t("admin.plans.code")}
        hint={t(plan ? "admin.plans.codeFixed" : "admin.plans.codeHint")}
        error={errorFor("code")}
      >
        {(field) => (
          <Input
            {...field}
            name="code"
            autoComplete="off"
            maxLength={40}
            defaultValue={plan?.code}
            // The code is the plan's key: saving under another code would make a second plan.
            readOnly={Boolean(plan)}
          />
        )}
      </FormField>
      <FormField label={t("admin.plans.nameDe")} error={errorFor("nameDe")}>
        {(field) => (
          <Input {...field} name="nameDe" lang="de" autoComplete="off" maxLength={80} defaultValue={plan?.name.de} />
        )}
      </FormField>
      <FormField label={t("admin.plans.nameEn")} error={errorFor("nameEn")}>
        {(field) => (
          <Input {...field} name="nameEn" lang="en" autoComplete="off" maxLength={80} defaultValue={plan?.name.en} />
        )}
      </FormField>
      <DecimalField
        name="monthlyPriceCHF"
        label={t("admin.plans.monthlyPrice")}
        hint={t("admin.plans.chfHint")}
        error={errorFor("monthlyPriceCHF")}
        placeholder="0.00"
        defaultValue={plan?.monthlyPriceCHF}
      />
      <DecimalField
        name="aiBudgetCHF"
        label={t("admin.plans.aiBudget")}
        hint={t("admin.plans.aiBudgetHint")}
        error={errorFor("aiBudgetCHF")}
        placeholder="0.00"
        defaultValue={plan?.aiBudgetCHF}
      />
      <DecimalField
        name="includedStorageMB"
        label={t("admin.plans.includedStorage")}
        hint={t("admin.plans.storageHint")}
        error={errorFor("includedStorageMB")}
        placeholder="0"
        defaultValue={plan?.includedStorageMB}
      />
      <CheckboxField
        name="active"
        label={t("admin.plans.activeLabel")}
        hint={t("admin.plans.activeHint")}
        error={errorFor("active")}
        defaultChecked={plan?.active ?? true}
      />
      <div className={styles.actions}>
        <Button type="submit" loading={pending}>
          {t(plan ? "admin.plans.submitEdit" : "admin.plans.submitCreate")}
        </Button>
        {plan ? <Link href="/admin/plans">{t("admin.plans.cancelEdit")}</Link> : null}
      </div>
    </form>
  );
}

/** A typed-in decimal (CHF, MB): kept as the string typed, the server reads it exactly. */
function DecimalField(props: {
  name: string;
  label: string;
  hint: string;
  error: string | null;
  placeholder: string;
  defaultValue: string | undefined;
}) {
  return (
    <FormField label={props.label} hint={props.hint} error={props.error}>
      {(field) => (
        <Input
          {...field}
          name={props.name}
          inputMode="decimal"
          autoComplete="off"
          placeholder={props.placeholder}
          defaultValue={props.defaultValue}
        />
      )}
    </FormField>
  );
}
