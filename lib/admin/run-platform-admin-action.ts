import type { z } from "zod";
import { requirePlatformAdmin } from "@/lib/auth/require-user";
import { isDomainError, type ErrorCode } from "@/lib/errors";
import { fieldErrors, toFormState, type FieldErrors, type FormState } from "@/lib/forms/form-state";
import type { AppUser } from "@/lib/users/get-user";

/** What an admin action answers: success with its result, or a failure (never the idle state). */
export type AdminActionResult<T> = Exclude<FormState<never, T>, { ok: null }>;

/**
 * The one shape of every platform admin action (HOUSE_STYLE §3), folded here because the admin
 * area has four of them: parse with the form's schema → requirePlatformAdmin (per request, from
 * the session and app_user) → the domain call → map errors to codes the form translates.
 * `fieldsByCode` puts a domain code on the field it is about (NOT_FOUND for an owner e-mail is
 * "no such user", not a missing page). Revalidation stays in the action: it is next/*.
 */
export async function runPlatformAdminAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  run: (data: z.output<S>, admin: AppUser) => Promise<T>,
  fieldsByCode: Partial<Record<ErrorCode, FieldErrors>> = {},
): Promise<AdminActionResult<T>> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: "VALIDATION_FAILED", fields: fieldErrors(parsed.error, input), at: Date.now() };
  }
  try {
    const admin = await requirePlatformAdmin();
    return { ok: true, result: await run(parsed.data, admin), at: Date.now() };
  } catch (err) {
    const fields = isDomainError(err) ? fieldsByCode[err.code] : undefined;
    if (fields) return { ok: false, code: "VALIDATION_FAILED", fields, at: Date.now() };
    return toFormState(err);
  }
}
