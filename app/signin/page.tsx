import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getSessionUser } from "@/lib/auth/get-session-user";
import { oidcProviderName } from "@/lib/auth/oidc-provider";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { PublicPage } from "../public-page";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("signIn");

export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;
}) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallbackUrl(callbackUrl, process.env.NEXTAUTH_URL);
  if (await getSessionUser()) redirect(target);
  const locale = await getRequestLocale();
  const t = getTranslator(locale, "auth");
  return (
    <PublicPage locale={locale}>
      <h1>{t("signIn.title")}</h1>
      <p>{t("signIn.intro")}</p>
      <SignInForm
        callbackUrl={target}
        initialError={typeof error === "string" ? error : null}
        oidcName={oidcProviderName()}
      />
      <p>
        <Link href="/forgot-password">{t("forgotLink")}</Link>
      </p>
    </PublicPage>
  );
}
