"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import formMessage from "@/components/ui/form-message.module.css";
import { Input } from "@/components/ui/input";
import { PASSWORD_MIN_LENGTH, type ResetPasswordFormState } from "@/lib/auth/password-reset-schemas";
import styles from "./password-form.module.css";
import { usePasswordForm } from "./use-password-form";

export interface ResetPasswordFormProps {
  token: string;
  action: (prev: ResetPasswordFormState, form: FormData) => Promise<ResetPasswordFormState>;
}

/** The link that no longer works, and the way to a new one. */
export function InvalidResetLink() {
  const { t } = useTranslation("auth");
  return (
    <div className={styles.stack} data-testid="reset-link-invalid">
      <p role="alert" className={formMessage.alert}>
        {t("reset.invalid")}
      </p>
      <p className={styles.links}>
        <Link href="/forgot-password">{t("reset.requestNew")}</Link>
      </p>
    </div>
  );
}

/** The new password, twice. Passwords are never sent back: after a refusal the fields are empty. */
export function ResetPasswordForm({ token, action }: ResetPasswordFormProps) {
  const { t } = useTranslation("auth");
  const { t: tErrors } = useTranslation("errors");
  const { state, formAction, pending, formRef, fields, message, answerKey } = usePasswordForm(action);

  if (state.ok === true) {
    return (
      <div className={styles.stack}>
        <p role="status" className={formMessage.status} data-testid="reset-password-done">
          {t("reset.done")}
        </p>
        <p className={styles.links}>
          <Link href="/signin">{t("reset.signIn")}</Link>
        </p>
      </div>
    );
  }
  if (fields.token) return <InvalidResetLink />;
  return (
    <div className={styles.stack}>
      {state.ok === false && !state.fields ? (
        <p role="alert" className={formMessage.alert} data-code={state.code}>
          {tErrors(state.code)}
        </p>
      ) : null}
      <form ref={formRef} action={formAction} noValidate className={styles.stack} data-testid="reset-password-form">
        <input type="hidden" name="token" value={token} />
        {/* Keyed by the answer: after a refusal the password fields start empty. */}
        <div key={answerKey} className={styles.stack}>
          <FormField
            label={t("reset.password")}
            hint={t("reset.hint", { min: PASSWORD_MIN_LENGTH })}
            error={message("password")}
          >
            {(control) => (
              <Input {...control} name="password" type="password" autoComplete="new-password" required autoFocus />
            )}
          </FormField>
          <FormField label={t("reset.confirmation")} error={message("confirmation")}>
            {(control) => (
              <Input {...control} name="confirmation" type="password" autoComplete="new-password" required />
            )}
          </FormField>
        </div>
        <Button type="submit" loading={pending}>
          {t("reset.submit")}
        </Button>
      </form>
    </div>
  );
}
