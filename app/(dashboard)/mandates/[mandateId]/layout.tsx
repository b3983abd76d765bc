import type { ReactNode } from "react";
import { MandateNav, type NavItem } from "@/components/shell/mandate-nav";
import { requirePageMember } from "@/lib/auth/page-guards";
import { roleSatisfies } from "@/lib/auth/roles";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";

/**
 * Mandate navigation. The guard here makes a non-member's first request answer 404 before
 * anything renders; each page still checks again (layouts are skipped on client navigation).
 */
export default async function MandateLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ mandateId: string }>;
}) {
  const { mandateId } = await params;
  const member = await requirePageMember(mandateId);
  const t = getTranslator(await getRequestLocale());
  const base = `/mandates/${mandateId}`;
  const items: NavItem[] = [
    { href: base, label: t("nav.overview"), exact: true },
    { href: `${base}/transactions`, label: t("nav.transactions") },
    { href: `${base}/statistics`, label: t("nav.statistics") },
    { href: `${base}/plans`, label: t("nav.plans") },
  ];
  if (roleSatisfies(member.role, "ADMIN")) {
    items.push({ href: `${base}/payments`, label: t("nav.payments") });
    items.push({ href: `${base}/settings`, label: t("nav.settings") });
  }
  if (roleSatisfies(member.role, "OWNER")) items.push({ href: `${base}/members`, label: t("nav.members") });
  return (
    <>
      <MandateNav label={t("nav.main")} items={items} />
      {children}
    </>
  );
}
