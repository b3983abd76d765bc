import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { requirePageUser } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { listUserMandates } from "@/lib/mandates/list-user-mandates";
import { setLocaleAction } from "../actions";

/**
 * The signed-in app. This layout only frames the pages; it is not their guard: on client-side
 * navigation layouts are not re-rendered, so every page and action authorizes itself.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const [locale, mandates] = await Promise.all([
    getRequestLocale(),
    listUserMandates({ userId: user.id, includeAll: user.isPlatformAdmin }),
  ]);
  const t = getTranslator(locale);
  return (
    <>
      <a href="#content" className="skip-link">
        {t("nav.skipToContent")}
      </a>
      <AppHeader
        locale={locale}
        user={user}
        mandates={mandates.map(({ mandateId, name }) => ({ mandateId, name }))}
        setLocale={setLocaleAction}
      />
      {children}
    </>
  );
}
