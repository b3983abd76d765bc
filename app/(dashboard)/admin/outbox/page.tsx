import { EmailOutboxTable } from "@/components/admin/email-outbox-table";
import { PageMain } from "@/components/shell/page-main";
import { PageIntro } from "@/components/ui/page-intro";
import { requirePagePlatformAdmin } from "@/lib/auth/page-guards";
import { listOutboxEmails, OUTBOX_PAGE_LIMIT } from "@/lib/email/list-outbox-emails";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { pageMetadata } from "@/app/page-metadata";

export const generateMetadata = pageMetadata("outbox");

// Read on every visit: a message sent a second ago must be there.
export const dynamic = "force-dynamic";

/** Platform admin: every recorded e-mail (lib/email), the development outbox when no SMTP is set. */
export default async function OutboxPage() {
  await requirePagePlatformAdmin();
  const [locale, emails] = await Promise.all([getRequestLocale(), listOutboxEmails()]);
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1>{t("admin.outbox.title")}</h1>
      <PageIntro>{t("admin.outbox.intro", { count: OUTBOX_PAGE_LIMIT })}</PageIntro>
      <EmailOutboxTable emails={emails} locale={locale} />
    </PageMain>
  );
}
