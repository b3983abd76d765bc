import Link from "next/link";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { Locale } from "@/lib/i18n/config";
import { HeaderLinks } from "./header-links";
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
        <HeaderLinks
          links={[
            { href: "/admin/api-keys", label: t("nav.apiKeys") },
            { href: "/admin/reconciliation", label: t("nav.reconciliation") },
            { href: "/admin/plans", label: t("nav.plansCatalogue") },
            { href: "/admin/outbox", label: t("nav.outbox") },
            { href: "/admin", label: t("nav.platformAdmin") },
          ]}
        />
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
