"use client";

import Link from "next/link";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import formMessage from "@/components/ui/form-message.module.css";
import { Input } from "@/components/ui/input";
import type { ForgotPasswordFormState } from "@/lib/auth/password-reset-schemas";
import styles from "../reset-password/password-form.module.css";
import { usePasswordForm } from "../reset-password/use-password-form";

export interface ForgotPasswordFormProps {
  action: (prev: ForgotPasswordFormState, form: FormData) => Promise<ForgotPasswordFormState>;
  /** How long a link works (PASSWORD_RESET_TTL_MINUTES), to say so. */
  validMinutes: number;
}

/** Asks for a reset link; the confirmation reads the same whether or not the address has an account. */
export function ForgotPasswordForm({ action, validMinutes }: ForgotPasswordFormProps) {
  const { t } = useTranslation("auth");
  const { t: tErrors } = useTranslation("errors");
  const { state, formAction, pending, formRef, message, answerKey } = usePasswordForm(action);
  const emailError = message("email");
  const typed = state.ok === false ? (state.values?.email ?? "") : "";

  const sentTo = state.ok === true ? state.result?.email : undefined;
  return (
    <div className={styles.stack}>
      {state.ok === false && !emailError ? (
        <p role="alert" className={formMessage.alert} data-code={state.code}>
          {tErrors(state.code)}
        </p>
      ) : null}
      <p role="status" className={formMessage.status} data-testid="forgot-password-sent">
        {sentTo ? t("forgot.sent", { email: sentTo, minutes: validMinutes }) : ""}
      </p>
      <form ref={formRef} action={formAction} noValidate className={styles.stack} data-testid="forgot-password-form">
        <FormField label={t("forgot.email")} error={emailError}>
          {(control) => (
            <Input
              {...control}
              key={answerKey}
              name="email"
              type="email"
              autoComplete="username"
              defaultValue={typed}
              required
              autoFocus
            />
          )}
        </FormField>
        <Button type="submit" loading={pending}>
          {t("forgot.submit")}
        </Button>
      </form>
      <p className={styles.links}>
        <Link href="/signin">{t("forgot.backToSignIn")}</Link>
      </p>
    </div>
  );
}
