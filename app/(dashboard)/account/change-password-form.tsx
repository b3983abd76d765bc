"use client";

import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import formMessage from "@/components/ui/form-message.module.css";
import { Input } from "@/components/ui/input";
import { PASSWORD_MIN_LENGTH, type ChangePasswordFormState } from "@/lib/auth/password-reset-schemas";
import styles from "../../reset-password/password-form.module.css";
import { usePasswordForm } from "../../reset-password/use-password-form";

export interface ChangePasswordFormProps {
  /** The account's address, for password managers (a hidden username field). */
  email: string;
  action: (prev: ChangePasswordFormState, form: FormData) => Promise<ChangePasswordFormState>;
}

/** Current password, then the new one twice. Passwords are never sent back: every answer empties the fields. */
export function ChangePasswordForm({ email, action }: ChangePasswordFormProps) {
  const { t } = useTranslation("auth");
  const { t: tErrors } = useTranslation("errors");
  const { state, formAction, pending, formRef, message, answerKey } = usePasswordForm(action);

  return (
    <form ref={formRef} action={formAction} noValidate className={styles.stack} data-testid="change-password-form">
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <div key={answerKey} className={styles.stack}>
        <FormField label={t("account.currentPassword")} error={message("currentPassword")}>
          {(control) => (
            <Input {...control} name="currentPassword" type="password" autoComplete="current-password" required />
          )}
        </FormField>
        <FormField
          label={t("account.password")}
          hint={t("reset.hint", { min: PASSWORD_MIN_LENGTH })}
          error={message("password")}
        >
          {(control) => <Input {...control} name="password" type="password" autoComplete="new-password" required />}
        </FormField>
        <FormField label={t("account.confirmation")} error={message("confirmation")}>
          {(control) => <Input {...control} name="confirmation" type="password" autoComplete="new-password" required />}
        </FormField>
      </div>
      <div>
        <Button type="submit" loading={pending}>
          {t("account.submit")}
        </Button>
      </div>
      {state.ok === false && !state.fields ? (
        <p role="alert" className={formMessage.alert} data-code={state.code}>
          {tErrors(state.code)}
        </p>
      ) : null}
      <p role="status" className={formMessage.status} data-testid="change-password-status">
        {state.ok === true ? t("account.changed") : ""}
      </p>
    </form>
  );
}
