import Link from "next/link";
import { PageMain } from "@/components/shell/page-main";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("notFound");

/**
 * Unknown pages and mandates the person may not see look the same, so a 404 tells nothing
 * about whether a mandate exists.
 */
export default async function NotFound() {
  const t = getTranslator(await getRequestLocale());
  return (
    <PageMain>
      <Card data-testid="not-found">
        <h1>{t("notFound.title")}</h1>
        <p>{t("notFound.message")}</p>
        <Link href="/mandates" className={buttonClassName("secondary")}>
          {t("notFound.back")}
        </Link>
      </Card>
    </PageMain>
  );
}
