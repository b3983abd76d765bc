import { notFound } from "next/navigation";
import { BillingSettingsForm } from "@/components/settings/billing-settings-form";
import { SettingsHistory } from "@/components/settings/settings-history";
import { SettingsStatus } from "@/components/settings/settings-status";
import { PageMain } from "@/components/shell/page-main";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { cardLabel } from "@/lib/payments/card-label";
import { getBillingSettings } from "@/lib/settings/get-billing-settings";
import { listBillingSettingsChanges, SETTINGS_HISTORY_LIMIT } from "@/lib/settings/list-billing-settings-changes";
import { saveBillingSettingsAction } from "./actions";
import { PageIntro } from "@/components/ui/page-intro";
import layout from "@/components/ui/form-layout.module.css";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("settings");

/** Billing settings of a mandate: the form, the platform-maintained values, the change history. */
export default async function SettingsPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  // Again here, not only in the layout: layouts are skipped on client-side navigation.
  await requirePageMember(mandateId, "ADMIN");
  const [locale, settings, changes] = await Promise.all([
    getRequestLocale(),
    getBillingSettings(mandateId),
    listBillingSettingsChanges(mandateId, SETTINGS_HISTORY_LIMIT),
  ]);
  if (!settings) notFound();
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1>{t("settings.title")}</h1>
      <PageIntro>{t("settings.intro")}</PageIntro>
      <div className={layout.layout}>
        <BillingSettingsForm
          locale={locale}
          initial={settings.values}
          settingsVersion={settings.settingsVersion}
          savedCard={cardLabel(settings.savedCard)}
          action={saveBillingSettingsAction.bind(null, mandateId)}
        />
        <SettingsStatus locale={locale} settings={settings} />
      </div>
      <SettingsHistory locale={locale} changes={changes} limit={SETTINGS_HISTORY_LIMIT} />
    </PageMain>
  );
}
