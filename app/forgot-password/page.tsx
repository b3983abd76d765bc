import { passwordResetTtlMinutes } from "@/lib/auth/password-reset";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { pageMetadata } from "@/app/page-metadata";
import { PublicPage } from "../public-page";
import { requestPasswordResetAction } from "./actions";
import { ForgotPasswordForm } from "./forgot-password-form";

export const dynamic = "force-dynamic";

export const generateMetadata = pageMetadata("forgotPassword");

/** Signed out or in alike: a signed-in person who forgot the password may want a link too. */
export default async function ForgotPasswordPage() {
  const locale = await getRequestLocale();
  const t = getTranslator(locale, "auth");
  return (
    <PublicPage locale={locale}>
      <h1>{t("forgot.title")}</h1>
      <p>{t("forgot.intro")}</p>
      <ForgotPasswordForm action={requestPasswordResetAction} validMinutes={passwordResetTtlMinutes()} />
    </PublicPage>
  );
}
