"use server";

import { resetPassword } from "@/lib/auth/password-reset";
import {
  RESET_PASSWORD_FORM_FIELDS,
  ResetPasswordInput,
  type ResetPasswordFormState,
} from "@/lib/auth/password-reset-schemas";
import { runFormAction } from "@/lib/auth/run-form-action";
import { readForm } from "@/lib/forms/read-form";

/** Sets a new password through a reset link; the link's token is the authorization. */
export async function resetPasswordAction(
  _prev: ResetPasswordFormState,
  form: FormData,
): Promise<ResetPasswordFormState> {
  const answer = await runFormAction({
    schema: ResetPasswordInput,
    input: readForm(form, RESET_PASSWORD_FORM_FIELDS),
    authorize: () => Promise.resolve(null),
    run: ({ token, password }) => resetPassword(token, password),
  });
  if (!answer.ok) return answer;
  if (answer.result?.ok === false) {
    return { ok: false, code: "VALIDATION_FAILED", fields: { token: { code: "tokenInvalid" } }, at: answer.at };
  }
  return { ok: true, at: answer.at };
}
