import Link from "next/link";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { Locale } from "@/lib/i18n/config";
import { LanguageSwitch } from "./language-switch";
import { MandatePicker, type PickerMandate } from "./mandate-picker";
import styles from "./shell.module.css";
import { UserMenu } from "./user-menu";

interface AppHeaderProps {
  locale: Locale;
  user: { name: string; email: string; isPlatformAdmin: boolean };
  mandates: PickerMandate[];
  setLocale: (form: FormData) => Promise<void>;
}

/** Header of the signed-in app: product, current mandate and picker, platform links, language, account. */
export function AppHeader({ locale, user, mandates, setLocale }: AppHeaderProps) {
  const t = getTranslator(locale);
  return (
    <header className={styles.header}>
      <Link href="/mandates" className={styles.brand}>
        {t("appName")}
      </Link>
      <MandatePicker mandates={mandates} />
      <span className={styles.spacer} />
      {user.isPlatformAdmin ? (
        <ul className={styles.links}>
          <li>
            <Link href="/admin/api-keys" className={styles.headerLink}>
              {t("nav.apiKeys")}
            </Link>
          </li>
          <li>
            <Link href="/admin/reconciliation" className={styles.headerLink}>
              {t("nav.reconciliation")}
            </Link>
          </li>
          <li>
            <Link href="/admin/plans" className={styles.headerLink}>
              {t("nav.plansCatalogue")}
            </Link>
          </li>
          <li>
            <Link href="/admin/outbox" className={styles.headerLink}>
              {t("nav.outbox")}
            </Link>
          </li>
          <li>
            <Link href="/admin" className={styles.headerLink}>
              {t("nav.platformAdmin")}
            </Link>
          </li>
        </ul>
      ) : null}
      <LanguageSwitch locale={locale} action={setLocale} />
      <UserMenu name={user.name} email={user.email} isPlatformAdmin={user.isPlatformAdmin} />
    </header>
  );
}

/** Header for signed-out pages (start page, sign-in): product name and language only. */
export function PublicHeader({ locale, setLocale }: Pick<AppHeaderProps, "locale" | "setLocale">) {
  const t = getTranslator(locale);
  return (
    <header className={styles.header}>
      <Link href="/" className={styles.brand}>
        {t("appName")}
      </Link>
      <span className={styles.spacer} />
      <LanguageSwitch locale={locale} action={setLocale} />
    </header>
  );
}
