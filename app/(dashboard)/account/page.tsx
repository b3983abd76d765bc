import Link from "next/link";
import { PageMain } from "@/components/shell/page-main";
import { Card } from "@/components/ui/card";
import { PageIntro } from "@/components/ui/page-intro";
import { requirePageUser } from "@/lib/auth/page-guards";
import { hasPassword } from "@/lib/auth/password-reset";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { pageMetadata } from "@/app/page-metadata";
import { changePasswordAction } from "./actions";
import styles from "./account.module.css";
import { ChangePasswordForm } from "./change-password-form";

export const dynamic = "force-dynamic";

export const generateMetadata = pageMetadata("account");

/** The signed-in person's own account: the password change (or how to set a first password). */
export default async function AccountPage() {
  const user = await requirePageUser();
  const [locale, withPassword] = await Promise.all([getRequestLocale(), hasPassword(user.id)]);
  const t = getTranslator(locale, "auth");
  return (
    <PageMain>
      <h1>{t("account.title")}</h1>
      <PageIntro>{t("account.intro", { email: user.email })}</PageIntro>
      <Card title={t("account.changeTitle")} className={styles.card}>
        {withPassword ? (
          <ChangePasswordForm email={user.email} action={changePasswordAction} />
        ) : (
          <>
            <p data-testid="account-no-password">{t("account.noPassword")}</p>
            <p>
              <Link href="/forgot-password">{t("account.requestLink")}</Link>
            </p>
          </>
        )}
      </Card>
    </PageMain>
  );
}
