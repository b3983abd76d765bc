import { cookies, headers } from "next/headers";
import { getSessionUser } from "@/lib/auth/get-session-user";
import type { Locale } from "./config";
import { LOCALE_COOKIE } from "./config";
import { chooseLocale } from "./negotiate-locale";

/**
 * The language of this request: the signed-in person's saved choice, else the cookie a
 * signed-out visitor set with the language switch, else the browser's Accept-Language.
 */
export async function getRequestLocale(): Promise<Locale> {
  const [user, cookieStore, headerList] = await Promise.all([getSessionUser(), cookies(), headers()]);
  return chooseLocale({
    userLocale: user?.locale,
    cookieLocale: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
}
