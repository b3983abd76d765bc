import type { Metadata } from "next";
import { renderMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { pageTitle, type PageTitleKey } from "@/lib/i18n/page-title";
import { getMandate } from "@/lib/mandates/get-mandate";

/**
 * `generateMetadata` for a page: its title in the viewer's language. Each page exports one line,
 * `export const generateMetadata = pageMetadata("account");`.
 */
export function pageMetadata(key: PageTitleKey): () => Promise<Metadata> {
  return async () => ({ title: pageTitle(await getRequestLocale(), key) });
}

/**
 * The same for a page below /mandates/{mandateId} (or a platform admin's page of one mandate):
 * the title names the mandate. Only for someone who may open it: for anyone else the page is a
 * 404, and its title must not tell whether the id exists.
 */
export function mandatePageMetadata(
  key: PageTitleKey,
): (props: { params: Promise<{ mandateId: string }> }) => Promise<Metadata> {
  return async ({ params }) => {
    const [{ mandateId }, locale] = await Promise.all([params, getRequestLocale()]);
    const mandate = await renderMember(mandateId, "MEMBER").then(
      () => getMandate(mandateId),
      () => null,
    );
    return { title: pageTitle(locale, key, mandate?.name) };
  };
}
