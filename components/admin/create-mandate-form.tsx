"use client";

import Link from "next/link";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import {
  AI_PROVIDERS,
  CREATE_MANDATE_FORM_FIELDS,
  CreateMandateInput,
  type AiProvider,
} from "@/lib/admin/create-mandate-schema";
import type { FormState } from "@/lib/forms/form-state";
import fieldStyles from "@/components/ui/field.module.css";
import styles from "./admin.module.css";
import { FormAlert } from "./form-alert";
import { useAdminForm } from "./use-admin-form";

/** Brand names are not translated. */
const PROVIDER_NAMES: Record<AiProvider, string> = {
  anthropic: "Anthropic",
  openai: "OpenAI",
  mistral: "Mistral",
  google: "Google",
};

type CreateMandateState = FormState<never, { mandateId: string; name: string }>;

export interface CreateMandateFormProps {
  action: (prev: CreateMandateState, form: FormData) => Promise<CreateMandateState>;
}

export function CreateMandateForm({ action }: CreateMandateFormProps) {
  const { t } = useTranslation("billing");
  const { state, pending, onSubmit, errorFor, formError } = useAdminForm(
    CreateMandateInput,
    action,
    CREATE_MANDATE_FORM_FIELDS,
  );
  const providersId = useId();
  const created = state.ok ? (state.result ?? null) : null;
  const providerError = errorFor("allowedProviders");

  return (
    // Keyed by the last created mandate: a successful create starts an empty form.
    <form key={created?.mandateId ?? "new"} className={styles.stack} onSubmit={onSubmit} noValidate>
      <FormAlert code={formError} />
      {created ? (
        <p role="status" className={styles.success} data-testid="mandate-created">
          {t("admin.create.created", { name: created.name })}{" "}
          <Link href={`/admin/mandates/${created.mandateId}`}>{t("admin.create.open", { name: created.name })}</Link>
        </p>
      ) : null}
      <FormField label={t("admin.create.name")} error={errorFor("name")}>
        {(field) => <Input {...field} name="name" autoComplete="off" maxLength={100} required />}
      </FormField>
      <FormField
        label={t("admin.create.ownerEmail")}
        hint={t("admin.create.ownerEmailHint")}
        error={errorFor("ownerEmail")}
      >
        {(field) => <Input {...field} name="ownerEmail" type="email" autoComplete="off" />}
      </FormField>
      <fieldset className={styles.fieldset} aria-describedby={`${providersId}-hint`}>
        <legend className={`${fieldStyles.label} ${styles.legend}`}>{t("admin.create.providers")}</legend>
        <div className={styles.checkboxes}>
          {AI_PROVIDERS.map((provider) => (
            <label key={provider} className={styles.checkbox}>
              <input type="checkbox" name="allowedProviders" value={provider} />
              {PROVIDER_NAMES[provider]}
            </label>
          ))}
        </div>
        <p id={`${providersId}-hint`} className={fieldStyles.hint}>
          {t("admin.create.providersHint")}
        </p>
        {providerError ? <p className={fieldStyles.error}>{providerError}</p> : null}
      </fieldset>
      <div>
        <Button type="submit" loading={pending}>
          {t("admin.create.submit")}
        </Button>
      </div>
    </form>
  );
}
