import { z } from "zod";
import type { FormState } from "@/lib/forms/form-state";
import type { FormValues } from "@/lib/forms/read-form";
import { emailAddress, normalizeEmail } from "@/lib/users/email-address";

/**
 * Inputs of the password forms (forgot, reset, change) and of lib/auth/password-reset.ts. Safe in
 * the browser. Messages are validation codes the forms translate (`auth:password.validation.<code>`).
 */
export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the argon2 work a hostile client can ask for, as the sign-in schema does. */
export const PASSWORD_MAX_LENGTH = 200;

/**
 * The one rule for a new password, for a reset and a change alike. Without `email` (in the
 * browser and before the action knows whose account it is) it checks the length; the domain
 * parses again with the account's address, which the password may not be.
 */
export function newPassword(email?: string) {
  return z
    .string({ error: "passwordTooShort" })
    .min(PASSWORD_MIN_LENGTH, { error: "passwordTooShort" })
    .max(PASSWORD_MAX_LENGTH, { error: "passwordTooLong" })
    .refine((password) => email === undefined || normalizeEmail(password) !== normalizeEmail(email), {
      error: "passwordIsEmail",
    });
}

/** The new password typed twice: the second must repeat the first. */
function confirmationMatches(input: { password: string; confirmation: string }): boolean {
  return input.confirmation === input.password;
}
const CONFIRMATION_MISMATCH = { error: "confirmationMismatch", path: ["confirmation"] };

const Confirmation = z.string({ error: "confirmationMismatch" });

export const ForgotPasswordInput = z.object({ email: emailAddress("email") });

export const ResetPasswordInput = z
  .object({
    // 32 random bytes in base64url are 43 characters; anything far off is not one of ours.
    token: z.string({ error: "tokenInvalid" }).regex(/^[A-Za-z0-9_-]{20,100}$/, { error: "tokenInvalid" }),
    password: newPassword(),
    confirmation: Confirmation,
  })
  .refine(confirmationMatches, CONFIRMATION_MISMATCH);

export const ChangePasswordInput = z
  .object({
    currentPassword: z.string({ error: "currentPasswordWrong" }).min(1, { error: "currentPasswordWrong" }).max(1024),
    password: newPassword(),
    confirmation: Confirmation,
  })
  .refine(confirmationMatches, CONFIRMATION_MISMATCH);

/** The fields of the password forms (lib/forms/read-form.ts). */
export const FORGOT_PASSWORD_FORM_FIELDS = { email: "" } as const;
export const RESET_PASSWORD_FORM_FIELDS = { token: "", password: "", confirmation: "" } as const;
export const CHANGE_PASSWORD_FORM_FIELDS = { currentPassword: "", password: "", confirmation: "" } as const;

/** Only the e-mail is sent back to re-fill a form: passwords are never echoed. */
export type ForgotPasswordFormValues = FormValues<typeof FORGOT_PASSWORD_FORM_FIELDS>;

export type ForgotPasswordFormState = FormState<ForgotPasswordFormValues, { email: string }>;
export type ResetPasswordFormState = FormState;
export type ChangePasswordFormState = FormState;

/** Field codes the forms translate under `auth:password.validation`. */
export const PASSWORD_VALIDATION_CODES = [
  "email",
  "throttled",
  "passwordTooShort",
  "passwordTooLong",
  "passwordIsEmail",
  "confirmationMismatch",
  "tokenInvalid",
  "currentPasswordWrong",
  "currentPasswordThrottled",
  "noPassword",
  "invalid",
] as const;

const KNOWN_CODES = new Set<string>(PASSWORD_VALIDATION_CODES);

/** The translation key (`auth:…`) of a field's validation code, or null without an error. */
export function passwordValidationKey(error: { code: string } | undefined): string | null {
  if (!error) return null;
  return `password.validation.${KNOWN_CODES.has(error.code) ? error.code : "invalid"}`;
}
