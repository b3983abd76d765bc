/**
 * The fields a form sends, each given as what it reads as when absent: "" for a text field,
 * false for a checkbox (the browser sends one only when it is checked), [] for a checkbox group.
 */
export type FormFields = Readonly<Record<string, string | boolean | readonly string[]>>;

/** What readForm answers for those fields: strings, booleans and string lists. */
export type FormValues<F extends FormFields> = {
  -readonly [K in keyof F]: F[K] extends boolean ? boolean : F[K] extends readonly string[] ? string[] : string;
};

/**
 * The one reader of FormData, for the dashboard's forms in the browser and in their server
 * actions alike. Reads exactly the named fields (anything else the request carries is left
 * out); files are ignored, as no form uploads any. A server action's arguments come from the
 * request, so a crafted one may bind a string, a number or a plain object where the FormData
 * belongs: that reads as a form with every field absent, which the action's schema refuses.
 */
export function readForm<const F extends FormFields>(form: FormData, fields: F): FormValues<F> {
  const values: Record<string, string | boolean | string[]> = {};
  const entries = (form as unknown) instanceof FormData ? form : new FormData();
  for (const [name, absent] of Object.entries(fields)) {
    if (typeof absent === "boolean") {
      values[name] = entries.get(name) !== null;
    } else if (typeof absent === "string") {
      const value = entries.get(name);
      values[name] = typeof value === "string" ? value : absent;
    } else {
      values[name] = entries.getAll(name).filter((value): value is string => typeof value === "string");
    }
  }
  // One entry per field of F, each of the kind its absent value names.
  return values as FormValues<F>;
}
