"use client";

import { useActionState, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { passwordValidationKey } from "@/lib/auth/password-reset-schemas";
import { IDLE_FORM_STATE, type FormState } from "@/lib/forms/form-state";

/**
 * What the password forms (forgot, reset, change) share: the action's state, each field's
 * translated message, and the focus on the first refused field after an answer.
 */
export function usePasswordForm<Values, Result>(
  action: (prev: FormState<Values, Result>, form: FormData) => Promise<FormState<Values, Result>>,
) {
  const { t } = useTranslation("auth");
  const [state, formAction, pending] = useActionState(action, IDLE_FORM_STATE as FormState<Values, Result>);
  const formRef = useRef<HTMLFormElement>(null);
  const fields = state.ok === false ? (state.fields ?? {}) : {};
  const message = (field: string): string | null => {
    const key = passwordValidationKey(fields[field]);
    return key ? t(key) : null;
  };

  useEffect(() => {
    if (state.ok === false) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  /** Changes with every answer: a key that empties the password fields after each one. */
  const answerKey = state.ok === null ? 0 : state.at;
  return { state, formAction, pending, formRef, fields, message, answerKey };
}
