import { MandatePath } from "@/lib/api/routes/mandates";
import { requireApiKey } from "@/lib/auth/require-api-key";
import { errorResponse } from "@/lib/http/error-response";
import { getBalance } from "@/lib/ledger/get-balance";

export const dynamic = "force-dynamic";

/** The mandate's pool balance and whether it is below its warning threshold. */
export async function GET(req: Request, { params }: { params: Promise<{ mandateId: string }> }): Promise<Response> {
  try {
    const { mandateId } = MandatePath.parse(await params);
    await requireApiKey(req, mandateId); // 401 / 403 before any work
    return Response.json(await getBalance(mandateId));
  } catch (err) {
    return errorResponse(err);
  }
}
