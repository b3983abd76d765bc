import { countTransactionViews } from "@/lib/dashboard/list-transaction-views";
import { TransactionQuery } from "@/lib/dashboard/transaction-query";
import { dashboardRoute, PRIVATE } from "@/lib/http/dashboard-route";

export const dynamic = "force-dynamic";

/** How many rows the table's filters match; separate from the page so a slow count never delays the rows. */
export const GET = dashboardRoute(TransactionQuery, async (member, query) =>
  Response.json({ total: await countTransactionViews(member, query) }, { headers: PRIVATE }),
);
