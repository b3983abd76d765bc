import { listTransactionViews } from "@/lib/dashboard/list-transaction-views";
import { TransactionQuery } from "@/lib/dashboard/transaction-query";
import { dashboardRoute, PRIVATE } from "@/lib/http/dashboard-route";

export const dynamic = "force-dynamic";

/** One page of the transactions table. What a MEMBER gets is fixed by their role (lib/dashboard/transaction-query.ts). */
export const GET = dashboardRoute(TransactionQuery, async (member, query) =>
  Response.json(await listTransactionViews(member, query), { headers: PRIVATE }),
);
