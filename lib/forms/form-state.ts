import { ZodError } from "zod";
import { classifyDatabaseFailure } from "@/lib/db/database-failure";
import { DomainError, type ErrorCode } from "@/lib/errors";

/**
 * What a dashboard server action returns to its form (HOUSE_STYLE §3): success, or an error
 * code the form translates (`errors.<code>`) plus per-field codes for inline messages. Never
 * prose: the action does not know the reader's language. Safe in the browser.
 */
export interface FieldError {
  /** A zod message, i.e. a validation code the form translates. */
  code: string;
  /** The offending entry of a list field (e.g. one of several e-mails), to name it in the message. */
  value?: string;
}

export type FieldErrors = Partial<Record<string, FieldError>>;

export type FormState<Values = never, Result = never> =
  | { ok: null }
  | { ok: true; result?: Result; at: number }
  | { ok: false; code: ErrorCode; fields?: FieldErrors; values?: Values; at: number };

/** What an action answers: success with its result, or a failure; never the idle state. */
export type FormAnswer<Values = never, Result = never> = Exclude<FormState<Values, Result>, { ok: null }>;

export const IDLE_FORM_STATE = { ok: null } as const;

/** The first issue of each top-level field; for list entries, the entry itself as `value`. */
export function fieldErrors(error: ZodError, input?: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const [field, ...rest] = issue.path;
    const name = field === undefined ? "_form" : String(field);
    if (fields[name]) continue;
    const entry = rest.length > 0 ? valueAt(input, issue.path) : undefined;
    fields[name] = typeof entry === "string" ? { code: issue.message, value: entry } : { code: issue.message };
  }
  return fields;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Maps a thrown error to the form's failure state; unknown errors are logged and reveal nothing. */
export function toFormState(err: unknown): { ok: false; code: ErrorCode; fields?: FieldErrors; at: number } {
  const at = Date.now();
  if (err instanceof ZodError) return { ok: false, code: "VALIDATION_FAILED", fields: fieldErrors(err), at };
  if (err instanceof DomainError) return { ok: false, code: err.code, at };
  // As on the API (lib/http/error-response.ts): a database that is away is "try again", not a bug.
  const failure = classifyDatabaseFailure(err);
  if (failure === "unavailable") return { ok: false, code: "SERVICE_UNAVAILABLE", at };
  if (failure === "invalid-input") return { ok: false, code: "VALIDATION_FAILED", at };
  console.error("form action failed", err);
  return { ok: false, code: "INTERNAL_ERROR", at };
}
