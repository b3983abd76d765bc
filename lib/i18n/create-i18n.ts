import { createInstance, type i18n as I18n } from "i18next";
import { FALLBACK_LOCALE, NAMESPACES, type Locale } from "./config";
import { formatCount, formatNumber } from "./format-money";
import { RESOURCES } from "./resources";

/** An initialised i18next instance for one language; used by the server translator and the client provider. */
export function createI18n(locale: Locale, plugins: Parameters<I18n["use"]>[0][] = []): I18n {
  const instance = createInstance();
  for (const plugin of plugins) instance.use(plugin);
  void instance.init({
    lng: locale,
    fallbackLng: FALLBACK_LOCALE,
    resources: RESOURCES,
    ns: [...NAMESPACES],
    defaultNS: "common",
    // Resources are inline, so init completes synchronously and t() works right away.
    initAsync: false,
    // React escapes output itself.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    returnNull: false,
  });
  // "{{count, number}}" in a string: i18next's own formatter goes through Intl, which writes German
  // counts as "20.366"; the dashboard has one number format per language (format-money.ts).
  instance.services.formatter?.add("number", (value: unknown, lng: string | undefined) => {
    const language = lng === "de" ? "de" : "en";
    if (typeof value === "number" || typeof value === "bigint") return formatCount(value, language);
    return typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? formatNumber(value, language) : String(value);
  });
  return instance;
}
