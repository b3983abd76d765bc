import { readTransactionUrlState, transactionSearch } from "@/components/transactions/transaction-url";
import { TransactionsView } from "@/components/transactions/transactions-view";
import { PageMain } from "@/components/shell/page-main";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getTransactionFilterOptions } from "@/lib/dashboard/get-transaction-filter-options";
import { countTransactionViews, listTransactionViews } from "@/lib/dashboard/list-transaction-views";
import { parseTransactionSearchParams } from "@/lib/dashboard/transaction-query";
import { seesPool } from "@/lib/dashboard/viewer";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { MandatePageProps } from "../mandate-page-props";
import { PageIntro } from "@/components/ui/page-intro";

/**
 * Transactions: the first page, its total and the filter choices for the URL's filters are read
 * on the server in parallel for the first paint; paging, sorting and filtering then run in the
 * client view against the dashboard routes. A MEMBER's list is their own audit account.
 */
export default async function TransactionsPage({ params, searchParams }: MandatePageProps) {
  const { mandateId } = await params;
  const member = await requirePageMember(mandateId);
  // The page always starts at the first row; cursors live in the client view only.
  const { cursor: _ignored, ...query } = parseTransactionSearchParams(await searchParams);
  const [locale, page, total, options] = await Promise.all([
    getRequestLocale(),
    listTransactionViews(member, query),
    countTransactionViews(member, query),
    getTransactionFilterOptions(member),
  ]);
  const t = getTranslator(locale, "billing");
  const pool = seesPool(member);
  return (
    <PageMain>
      <h1>{t("transactions.title")}</h1>
      <PageIntro>{t(pool ? "transactions.introPool" : "transactions.introOwn")}</PageIntro>
      <TransactionsView
        mandateId={mandateId}
        locale={locale}
        seesPool={pool}
        options={options}
        initial={{ search: transactionSearch(readTransactionUrlState(query)), page, total }}
      />
    </PageMain>
  );
}
