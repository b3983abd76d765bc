import type { FieldError } from "@/lib/forms/form-state";

const CODES = new Set(["email", "name", "role", "invalid"]);

/** A field's validation code as translated text (`members.validation.<code>`), or null. */
export function validationMessage(error: FieldError | undefined, t: (key: string) => string): string | null {
  if (!error) return null;
  return t(`members.validation.${CODES.has(error.code) ? error.code : "invalid"}`);
}
