import { FALLBACK_LOCALE, isLocale, type Locale } from "./config";

/** Swiss German ("gsw", sent by some Swiss browsers) reads the German UI. */
const PRIMARY_ALIASES: Record<string, string> = { gsw: "de" };

/**
 * Picks the UI language from an Accept-Language header: the supported language the browser
 * ranks highest (by q-value, then order), matching on the primary subtag so "de-CH" and "de-AT"
 * both get German. Anything else gets English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return FALLBACK_LOCALE;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => PRIMARY_ALIASES[entry.primary] ?? entry.primary).find(isLocale) ?? FALLBACK_LOCALE;
}

/** The persisted choice (user, then cookie) wins over the browser's preference. */
export function chooseLocale(opts: {
  userLocale?: string | null;
  cookieLocale?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  if (isLocale(opts.userLocale)) return opts.userLocale;
  if (isLocale(opts.cookieLocale)) return opts.cookieLocale;
  return negotiateLocale(opts.acceptLanguage);
}
