import { MandatePath } from "@/lib/api/routes/mandates";
import { apiRoute } from "@/lib/http/api-route";
import { getBalance } from "@/lib/ledger/get-balance";

export const dynamic = "force-dynamic";

/** The mandate's pool balance and whether it is below its warning threshold. */
export const GET = apiRoute(
  { params: MandatePath },
  ({ params }) => params.mandateId,
  async ({ params }) => Response.json(await getBalance(params.mandateId)),
);
