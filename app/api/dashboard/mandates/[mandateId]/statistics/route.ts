import { StatisticsQuery } from "@/lib/api/routes/mandates";
import { getDashboardStatistics } from "@/lib/dashboard/get-dashboard-statistics";
import { dashboardRoute, PRIVATE } from "@/lib/http/dashboard-route";

export const dynamic = "force-dynamic";

/** The statistics page's chart data for the signed-in person: the pool, or a MEMBER's own usage. */
export const GET = dashboardRoute(StatisticsQuery, async (member, query) =>
  Response.json(await getDashboardStatistics(member, query), { headers: PRIVATE }),
);
