"use client";

import { useActionState, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import formMessage from "@/components/ui/form-message.module.css";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { Locale } from "@/lib/i18n/config";
import { enumLabel } from "@/lib/i18n/model-metadata";
import { MANDATE_ROLES, type AddMemberFormState } from "@/lib/members/member-schemas";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { validationMessage } from "./validation-message";
import styles from "./members.module.css";

export interface AddMemberFormProps {
  locale: Locale;
  /** addMemberAction bound to the mandate. */
  action: (prev: AddMemberFormState, form: FormData) => Promise<AddMemberFormState>;
}

const INITIAL_STATE: AddMemberFormState = IDLE_FORM_STATE;

/** Adds a person by e-mail; an unknown e-mail becomes an invited user without password. */
export function AddMemberForm({ locale, action }: AddMemberFormProps) {
  const { t } = useTranslation("billing");
  const { t: tErrors } = useTranslation("errors");
  const [state, formAction, pending] = useActionState(action, INITIAL_STATE);
  const formRef = useRef<HTMLFormElement>(null);
  const answeredAt = state.ok === null ? 0 : state.at;
  // After a rejected add, show what was entered; after a successful one, an empty form.
  const values = state.ok === false && state.values ? state.values : { email: "", name: "", role: "MEMBER" };
  const fields = state.ok === false ? (state.fields ?? {}) : {};
  const message = (field: string) => validationMessage(fields[field], (key) => t(key));

  useEffect(() => {
    if (state.ok === false) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  const added = state.ok === true ? state.result : undefined;
  return (
    <Card title={t("members.add.title")}>
      <form ref={formRef} action={formAction} noValidate data-testid="add-member-form">
        <div key={answeredAt} className={styles.addForm}>
          <FormField label={t("members.add.email")} error={message("email")}>
            {(control) => (
              <Input {...control} name="email" type="email" autoComplete="off" defaultValue={values.email} required />
            )}
          </FormField>
          <FormField label={t("members.add.name")} hint={t("members.add.nameHint")} error={message("name")}>
            {(control) => <Input {...control} name="name" autoComplete="off" defaultValue={values.name} />}
          </FormField>
          <FormField label={t("members.add.role")} error={message("role")}>
            {({ invalid, ...control }) => (
              <Select {...control} invalid={invalid} name="role" defaultValue={values.role}>
                {MANDATE_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {enumLabel("MandateRole", role, locale)}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
          <div className={styles.submitCell}>
            <Button type="submit" loading={pending}>
              {t("members.add.submit")}
            </Button>
          </div>
        </div>
        <div className={styles.messages}>
          {state.ok === false ? (
            <p role="alert" className={formMessage.alert} data-testid="add-member-error" data-code={state.code}>
              {tErrors(state.code)}
            </p>
          ) : null}
          <p role="status" className={formMessage.status} data-testid="add-member-status">
            {added ? t("members.add.added", { email: added.email }) : ""}
          </p>
          {added?.invited ? (
            <p className={styles.note} data-testid="add-member-invited">
              {t("members.add.invited", { email: added.email })}
            </p>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
