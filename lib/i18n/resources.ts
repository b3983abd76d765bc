import deAuth from "@/locales/de/auth.json";
import deBilling from "@/locales/de/billing.json";
import deCommon from "@/locales/de/common.json";
import deErrors from "@/locales/de/errors.json";
import enAuth from "@/locales/en/auth.json";
import enBilling from "@/locales/en/billing.json";
import enCommon from "@/locales/en/common.json";
import enErrors from "@/locales/en/errors.json";
import type { Locale, Namespace } from "./config";

/**
 * Every UI string, bundled: a few kilobytes, and it lets server and client initialise i18next
 * synchronously (no loading flash, no extra request).
 */
export const RESOURCES: Record<Locale, Record<Namespace, object>> = {
  de: { common: deCommon, auth: deAuth, billing: deBilling, errors: deErrors },
  en: { common: enCommon, auth: enAuth, billing: enBilling, errors: enErrors },
};
