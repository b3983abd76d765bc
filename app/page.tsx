import Link from "next/link";
import { redirect } from "next/navigation";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth/get-session-user";
import { checkHealth } from "@/lib/health/check-health";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { PublicPage } from "./public-page";
import styles from "./public-page.module.css";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("start");

export const dynamic = "force-dynamic";

// Signed-in people go straight to their mandates; everyone else sees the service status and
// the way in, but no mandate data.
export default async function HomePage() {
  if (await getSessionUser()) redirect("/mandates");
  const [locale, health] = await Promise.all([getRequestLocale(), checkHealth()]);
  const t = getTranslator(locale);
  return (
    <PublicPage locale={locale} variant="page">
      <h1>{t("appName")}</h1>
      <p>{t("tagline")}</p>
      <p>
        <Link href="/signin" className={buttonClassName()}>
          {t("header.signIn")}
        </Link>
      </p>
      <Card title={t("status.title")}>
        <dl className={styles.status}>
          <dt>{t("status.service")}</dt>
          {/* Customers' words: the state, not the internals (the database, migrations: /api/health). */}
          <dd data-testid="health-status" data-status={health.status}>
            {t(health.status === "ok" ? "status.ok" : "status.degraded")}
          </dd>
        </dl>
      </Card>
    </PublicPage>
  );
}
