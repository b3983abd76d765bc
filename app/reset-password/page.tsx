import type { Metadata } from "next";
import { isResetTokenUsable } from "@/lib/auth/password-reset";
import { ResetPasswordInput } from "@/lib/auth/password-reset-schemas";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { pageTitle } from "@/lib/i18n/page-title";
import { PublicPage } from "../public-page";
import { resetPasswordAction } from "./actions";
import { InvalidResetLink, ResetPasswordForm } from "./reset-password-form";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const locale = await getRequestLocale();
  return {
    title: pageTitle(locale, "resetPassword"),
    // The token is in this page's URL: no Referer carries it anywhere.
    referrer: "no-referrer",
  };
}

const TokenShape = ResetPasswordInput.shape.token;

/** The page a reset link opens (`/reset-password?token=…`); an unusable link says so at once. */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await searchParams;
  const parsed = TokenShape.safeParse(token);
  const usable = parsed.success && (await isResetTokenUsable(parsed.data));
  const locale = await getRequestLocale();
  const t = getTranslator(locale, "auth");
  return (
    <PublicPage locale={locale}>
      <h1>{usable ? t("reset.title") : t("reset.invalidTitle")}</h1>
      {usable ? (
        <>
          <p>{t("reset.intro")}</p>
          <ResetPasswordForm token={parsed.data} action={resetPasswordAction} />
        </>
      ) : (
        <InvalidResetLink />
      )}
    </PublicPage>
  );
}
