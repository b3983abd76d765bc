import type { TFunction } from "i18next";
import type { Locale, Namespace } from "./config";
import { createI18n } from "./create-i18n";

const instances = new Map<Locale, ReturnType<typeof createI18n>>();

/**
 * `t` for server components and actions. One i18next instance per language for the process:
 * the resources never change at run time, and a fixed-language `t` is safe to share between
 * concurrent requests.
 */
export function getTranslator(locale: Locale, namespace: Namespace = "common"): TFunction {
  let instance = instances.get(locale);
  if (!instance) {
    instance = createI18n(locale);
    instances.set(locale, instance);
  }
  return instance.getFixedT(locale, namespace);
}
