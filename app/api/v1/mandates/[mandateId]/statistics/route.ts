import { MandatePath, StatisticsQuery } from "@/lib/api/routes/mandates";
import { apiRoute } from "@/lib/http/api-route";
import { getStatistics } from "@/lib/stats/get-statistics";

export const dynamic = "force-dynamic";

/** Usage cost of the mandate per day of a month, month of a year, or year. */
export const GET = apiRoute(
  { params: MandatePath, query: StatisticsQuery },
  ({ params }) => params.mandateId,
  async ({ params, query }) => Response.json(await getStatistics({ mandateId: params.mandateId, ...query })),
);
