import { z } from "zod";
import { countTransactionViews, countTransactionViewsUpTo } from "@/lib/dashboard/list-transaction-views";
import { TransactionQuery } from "@/lib/dashboard/transaction-query";
import { dashboardRoute, PRIVATE } from "@/lib/http/dashboard-route";

export const dynamic = "force-dynamic";

/** The table's query, and `exact=1` for the exact figure once the capped one said "1,000+". */
const CountQuery = TransactionQuery.and(z.object({ exact: z.enum(["1"]).optional() }));

/**
 * How many rows the table's filters match; separate from the page so a slow count never delays
 * the rows. Counted up to COUNT_CAP (`{ total, capped }`, capped meaning "at least total"): an
 * exact count reads every matching row, seconds on a mandate with millions. `exact=1` counts all.
 */
export const GET = dashboardRoute(CountQuery, async (member, { exact, ...query }) =>
  Response.json(
    exact
      ? { total: await countTransactionViews(member, query), capped: false }
      : await countTransactionViewsUpTo(member, query),
    { headers: PRIVATE },
  ),
);
