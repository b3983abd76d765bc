import { MandatePath, StatisticsQuery } from "@/lib/api/routes/mandates";
import { requireApiKey } from "@/lib/auth/require-api-key";
import { errorResponse } from "@/lib/http/error-response";
import { parseQuery } from "@/lib/http/parse-json";
import { getStatistics } from "@/lib/stats/get-statistics";

export const dynamic = "force-dynamic";

/** Usage cost of the mandate per day of a month, month of a year, or year. */
export async function GET(req: Request, { params }: { params: Promise<{ mandateId: string }> }): Promise<Response> {
  try {
    const { mandateId } = MandatePath.parse(await params);
    const query = parseQuery(req.url, StatisticsQuery);
    await requireApiKey(req, mandateId); // 401 / 403 before any work
    return Response.json(await getStatistics({ mandateId, ...query }));
  } catch (err) {
    return errorResponse(err);
  }
}
