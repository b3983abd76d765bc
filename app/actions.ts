"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { z } from "zod";
import { getSessionUser } from "@/lib/auth/get-session-user";
import { readForm } from "@/lib/forms/read-form";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/config";
import { setUserLocale } from "@/lib/users/set-user-locale";

const LocaleInput = z.object({ locale: z.enum(LOCALES) });

/**
 * The language switch. Signed-in people keep their choice in User.locale (it follows them to
 * other devices); the cookie serves signed-out visitors and the sign-in page after sign-out.
 */
export async function setLocaleAction(form: FormData): Promise<void> {
  const parsed = LocaleInput.safeParse(readForm(form, { locale: "" }));
  if (!parsed.success) return;
  const { locale } = parsed.data;
  const user = await getSessionUser();
  if (user) await setUserLocale(user.id, locale);
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 24 * 60 * 60, sameSite: "lax" });
  revalidatePath("/", "layout");
}
