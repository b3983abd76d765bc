"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { readForm, type FormFields } from "@/lib/forms/read-form";
import type { ErrorCode } from "@/lib/errors";
import { fieldErrors, IDLE_FORM_STATE, type FieldErrors, type FormState } from "@/lib/forms/form-state";

export interface AdminForm<T> {
  /** The last server answer; idle while the form shows its own (client-side) errors. */
  state: FormState<never, T>;
  pending: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  /** The translated inline error of a field, or null. */
  errorFor: (field: string) => string | null;
  /** A code without field errors (e.g. FORBIDDEN, INTERNAL_ERROR), shown above the form. */
  formError: ErrorCode | null;
}

/**
 * Runs the form's zod schema in the browser first (instant, translated inline errors, no
 * round trip), then the server action, which parses the same schema again: the server's check
 * is the one that counts. Field codes read as `billing:admin.validation.<code>`.
 */
export function useAdminForm<T>(
  schema: z.ZodType,
  action: (prev: FormState<never, T>, form: FormData) => Promise<FormState<never, T>>,
  formFields: FormFields,
): AdminForm<T> {
  const { t } = useTranslation("billing");
  const [state, dispatch, pending] = useActionState(action, IDLE_FORM_STATE);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = readForm(form, formFields);
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      setClientErrors(fieldErrors(parsed.error, input));
      return;
    }
    setClientErrors(null);
    startTransition(() => dispatch(form));
  }

  const failed = state.ok === false ? state : null;
  const fields = clientErrors ?? failed?.fields ?? {};
  const errorFor = (field: string) => {
    const code = fields[field]?.code;
    return code ? t(`admin.validation.${code}`, { defaultValue: t("admin.validation.invalid") }) : null;
  };
  return {
    state: clientErrors ? IDLE_FORM_STATE : state,
    pending,
    onSubmit,
    errorFor,
    formError: !clientErrors && failed && Object.keys(failed.fields ?? {}).length === 0 ? failed.code : null,
  };
}
