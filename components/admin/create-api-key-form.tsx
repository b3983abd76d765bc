"use client";

import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { CREATE_API_KEY_FORM_FIELDS, CreateApiKeyInput, PLATFORM_SCOPE } from "@/lib/admin/api-key-schema";
import type { FormState } from "@/lib/forms/form-state";
import styles from "./admin.module.css";
import { CopyField } from "./copy-field";
import { FormAlert } from "./form-alert";
import { useAdminForm } from "./use-admin-form";

type CreateApiKeyState = FormState<never, { key: string; name: string }>;

export interface CreateApiKeyFormProps {
  action: (prev: CreateApiKeyState, form: FormData) => Promise<CreateApiKeyState>;
  mandates: { mandateId: string; name: string }[];
}

export function CreateApiKeyForm({ action, mandates }: CreateApiKeyFormProps) {
  const { t } = useTranslation("billing");
  const { state, pending, onSubmit, errorFor, formError } = useAdminForm(
    CreateApiKeyInput,
    action,
    CREATE_API_KEY_FORM_FIELDS,
  );
  const created = state.ok ? (state.result ?? null) : null;

  return (
    <div className={styles.stack}>
      {created ? (
        // Lives only in this component's state: a reload or another page and the key is gone for good.
        <div className={styles.warning} data-testid="new-api-key">
          <h3>{t("admin.apiKeys.createdTitle", { name: created.name })}</h3>
          <p role="alert">{t("admin.apiKeys.createdWarning")}</p>
          <CopyField
            label={t("admin.apiKeys.key")}
            value={created.key}
            copyLabel={t("admin.apiKeys.copy")}
            copiedLabel={t("admin.apiKeys.copied")}
          />
        </div>
      ) : null}
      <form key={created?.key ?? "new"} className={styles.stack} onSubmit={onSubmit} noValidate>
        <FormAlert code={formError} />
        <FormField label={t("admin.apiKeys.name")} error={errorFor("name")}>
          {(field) => <Input {...field} name="name" autoComplete="off" maxLength={100} required />}
        </FormField>
        <FormField label={t("admin.apiKeys.scope")} error={errorFor("scope")}>
          {(field) => (
            <Select {...field} name="scope" defaultValue={PLATFORM_SCOPE}>
              <option value={PLATFORM_SCOPE}>{t("admin.apiKeys.platformWide")}</option>
              {mandates.map((m) => (
                <option key={m.mandateId} value={m.mandateId}>
                  {m.name}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <div>
          <Button type="submit" loading={pending}>
            {t("admin.apiKeys.submit")}
          </Button>
        </div>
      </form>
    </div>
  );
}
