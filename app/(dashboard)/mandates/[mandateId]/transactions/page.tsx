import { readTransactionUrlState, transactionSearch } from "@/components/transactions/transaction-url";
import { TransactionsView } from "@/components/transactions/transactions-view";
import { PageMain } from "@/components/shell/page-main";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getTransactionFilterOptions } from "@/lib/dashboard/get-transaction-filter-options";
import { listTransactionViews, type TransactionViewPage } from "@/lib/dashboard/list-transaction-views";
import { TransactionQuery } from "@/lib/dashboard/transaction-query";
import { seesPool, type DashboardViewer } from "@/lib/dashboard/viewer";
import { isDomainError } from "@/lib/errors";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import type { MandatePageProps } from "../mandate-page-props";
import { PageIntro } from "@/components/ui/page-intro";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("transactions");

/**
 * Transactions: the page the URL names (filters, sort and position) and the filter choices are
 * read on the server for the first paint; the total is counted by its own route from the client,
 * so a slow count never holds back the rows. Paging, sorting and filtering then run in the client
 * view against the dashboard routes. A URL the routes would refuse renders no rows here: the
 * client asks, and shows the refusal at the fields. A MEMBER's list is their own audit account.
 */
export default async function TransactionsPage({ params, searchParams }: MandatePageProps) {
  const { mandateId } = await params;
  const member = await requirePageMember(mandateId);
  const raw = await searchParams;
  const state = readTransactionUrlState(raw);
  const [locale, page, options] = await Promise.all([
    getRequestLocale(),
    firstPaint(member, state),
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
        initial={{ search: transactionSearch(state), page }}
      />
    </PageMain>
  );
}

async function firstPaint(
  member: DashboardViewer,
  state: Record<string, string | undefined>,
): Promise<TransactionViewPage | null> {
  const query = TransactionQuery.safeParse(state);
  if (!query.success) return null;
  try {
    return await listTransactionViews(member, query.data);
  } catch (err) {
    // A cursor that is not one of ours: refused by the route too, shown by the client.
    if (isDomainError(err, "VALIDATION_FAILED")) return null;
    throw err;
  }
}
