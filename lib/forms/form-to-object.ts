/**
 * FormData as a plain object for the admin forms' zod schemas; names in `lists` are collected
 * with getAll (checkbox groups). Files are ignored: no admin form uploads any. Safe in the browser.
 */
export function formToObject(form: FormData, lists: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === "string" && !lists.includes(name)) out[name] = value;
  }
  for (const name of lists) {
    out[name] = form.getAll(name).filter((v): v is string => typeof v === "string");
  }
  return out;
}
