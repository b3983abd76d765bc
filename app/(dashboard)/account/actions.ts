"use server";

import { headers } from "next/headers";
import { clientAddressFromHeaders } from "@/lib/auth/client-address";
import { changePassword } from "@/lib/auth/password-reset";
import {
  CHANGE_PASSWORD_FORM_FIELDS,
  ChangePasswordInput,
  type ChangePasswordFormState,
} from "@/lib/auth/password-reset-schemas";
import { renewCurrentSession } from "@/lib/auth/renew-session";
import { requireUser } from "@/lib/auth/require-user";
import { runFormAction } from "@/lib/auth/run-form-action";
import type { FieldErrors } from "@/lib/forms/form-state";
import { readForm } from "@/lib/forms/read-form";

/** Where each refusal of changePassword shows: all of them are about the current password. */
const REFUSALS: Record<"WRONG_PASSWORD" | "NO_PASSWORD" | "THROTTLED", FieldErrors> = {
  WRONG_PASSWORD: { currentPassword: { code: "currentPasswordWrong" } },
  THROTTLED: { currentPassword: { code: "currentPasswordThrottled" } },
  NO_PASSWORD: { currentPassword: { code: "noPassword" } },
};

/** The signed-in person's password change; the session says whose, the form never does. */
export async function changePasswordAction(
  _prev: ChangePasswordFormState,
  form: FormData,
): Promise<ChangePasswordFormState> {
  const headerList = await headers();
  const answer = await runFormAction({
    schema: ChangePasswordInput,
    input: readForm(form, CHANGE_PASSWORD_FORM_FIELDS),
    authorize: requireUser,
    run: ({ currentPassword, password }, user) =>
      changePassword({
        userId: user.id,
        currentPassword,
        newPassword: password,
        clientAddress: clientAddressFromHeaders(headerList),
      }),
  });
  if (!answer.ok) return answer;
  if (answer.result?.ok !== false) {
    // The new password ended every session signed in before it; this one goes on.
    await renewCurrentSession();
    return { ok: true, at: answer.at };
  }
  const { reason } = answer.result;
  // The account vanished between the session check and the change: as signed out.
  if (reason === "NOT_FOUND") return { ok: false, code: "UNAUTHENTICATED", at: answer.at };
  return { ok: false, code: "VALIDATION_FAILED", fields: REFUSALS[reason], at: answer.at };
}
