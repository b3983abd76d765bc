/**
 * Languages and namespaces of the UI. Safe in the browser (no server imports): the client
 * provider and the server translator share it.
 */
export const LOCALES = ["de", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** Visitors whose browser prefers neither language get English. */
export const FALLBACK_LOCALE: Locale = "en";

export const NAMESPACES = ["common", "auth", "billing", "errors"] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Holds a signed-out visitor's choice; signed-in users' choice lives in User.locale. */
export const LOCALE_COOKIE = "locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
