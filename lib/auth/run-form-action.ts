import type { z } from "zod";
import { isDomainError, type ErrorCode } from "@/lib/errors";
import { fieldErrors, toFormState, type FieldErrors, type FormAnswer } from "@/lib/forms/form-state";

export interface FormActionOptions<S extends z.ZodType, Auth, Result, Values> {
  /** The form's schema; the browser may have run it already, but this parse is the one that counts. */
  schema: S;
  /** What the schema parses: the form's fields (lib/forms/read-form.ts) or the action's arguments. */
  input: unknown;
  /** The form's entries as typed, sent back with a failure so the form shows them again. */
  values?: Values;
  /** Per request, from the session: requireMember(mandateId, role) or requirePlatformAdmin(). */
  authorize: () => Promise<Auth>;
  /** The one domain call, with the parsed input and whom authorize let in. */
  run: (data: z.output<S>, auth: Auth) => Promise<Result>;
  /**
   * Domain codes that are about one field, put on it: createMandate's NOT_FOUND for an owner
   * e-mail is "no such user", not a missing page.
   */
  fieldsByCode?: Partial<Record<ErrorCode, FieldErrors>>;
}

/**
 * The one shape of every dashboard server action (HOUSE_STYLE §3): parse → authorize (per
 * request: a removed member or admin loses access at once, whatever a page showed before) → one
 * domain call → errors as codes the form translates. The action keeps revalidatePath and
 * redirect (next/*) and calls them after this returns, outside any try.
 */
export async function runFormAction<S extends z.ZodType, Auth, Result, Values = never>(
  opts: FormActionOptions<S, Auth, Result, Values>,
): Promise<FormAnswer<Values, Result>> {
  const echo = opts.values === undefined ? {} : { values: opts.values };
  const parsed = opts.schema.safeParse(opts.input);
  if (!parsed.success) {
    return {
      ok: false,
      code: "VALIDATION_FAILED",
      fields: fieldErrors(parsed.error, opts.input),
      ...echo,
      at: Date.now(),
    };
  }
  try {
    const auth = await opts.authorize();
    return { ok: true, result: await opts.run(parsed.data, auth), at: Date.now() };
  } catch (err) {
    const fields = isDomainError(err) ? opts.fieldsByCode?.[err.code] : undefined;
    if (fields) return { ok: false, code: "VALIDATION_FAILED", fields, ...echo, at: Date.now() };
    return { ...toFormState(err), ...echo };
  }
}
