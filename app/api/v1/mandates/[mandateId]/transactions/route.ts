import { MandatePath, TransactionsQuery } from "@/lib/api/routes/mandates";
import { requireApiKey } from "@/lib/auth/require-api-key";
import { errorResponse } from "@/lib/http/error-response";
import { parseQuery } from "@/lib/http/parse-json";
import { listTransactions } from "@/lib/ledger/list-transactions";

export const dynamic = "force-dynamic";

/** One page of the mandate's transactions, newest first; filters and cursor in the query string. */
export async function GET(req: Request, { params }: { params: Promise<{ mandateId: string }> }): Promise<Response> {
  try {
    const { mandateId } = MandatePath.parse(await params);
    const query = parseQuery(req.url, TransactionsQuery);
    await requireApiKey(req, mandateId); // 401 / 403 before any work
    return Response.json(await listTransactions({ mandateId, ...query }));
  } catch (err) {
    return errorResponse(err);
  }
}
