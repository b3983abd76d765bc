"use server";

import { headers } from "next/headers";
import { clientAddressFromHeaders } from "@/lib/auth/client-address";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import {
  FORGOT_PASSWORD_FORM_FIELDS,
  ForgotPasswordInput,
  type ForgotPasswordFormState,
} from "@/lib/auth/password-reset-schemas";
import { runFormAction } from "@/lib/auth/run-form-action";
import { appOrigin } from "@/lib/email/email-config";
import { readForm } from "@/lib/forms/read-form";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";

/**
 * Asks for a reset link. Signed out by nature, so nothing to authorize; the answer is the same
 * for every address (lib/auth/password-reset.ts). The link's origin is NEXTAUTH_URL, never the
 * request's Host header, which a client could point at a server of its own.
 */
export async function requestPasswordResetAction(
  _prev: ForgotPasswordFormState,
  form: FormData,
): Promise<ForgotPasswordFormState> {
  const values = readForm(form, FORGOT_PASSWORD_FORM_FIELDS);
  const [locale, headerList] = await Promise.all([getRequestLocale(), headers()]);
  const answer = await runFormAction({
    schema: ForgotPasswordInput,
    input: values,
    values,
    authorize: () => Promise.resolve(null),
    run: async ({ email }) => ({
      email,
      ...(await requestPasswordReset({
        email,
        locale,
        origin: appOrigin(),
        clientAddress: clientAddressFromHeaders(headerList),
      })),
    }),
  });
  if (!answer.ok) return answer;
  const { status, email } = answer.result ?? { status: "accepted", email: values.email };
  if (status === "throttled") {
    return { ok: false, code: "VALIDATION_FAILED", fields: { email: { code: "throttled" } }, values, at: answer.at };
  }
  return { ok: true, result: { email }, at: answer.at };
}
