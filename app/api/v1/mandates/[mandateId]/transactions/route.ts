import { MandatePath, TransactionsQuery } from "@/lib/api/routes/mandates";
import { apiRoute } from "@/lib/http/api-route";
import { listTransactions } from "@/lib/ledger/list-transactions";

export const dynamic = "force-dynamic";

/** One page of the mandate's transactions, newest first; filters and cursor in the query string. */
export const GET = apiRoute(
  { params: MandatePath, query: TransactionsQuery },
  ({ params }) => params.mandateId,
  async ({ params, query }) => Response.json(await listTransactions({ mandateId: params.mandateId, ...query })),
);
