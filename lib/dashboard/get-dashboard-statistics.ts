import { getStatistics, type BillingStatistics, type GetStatisticsOptions } from "@/lib/stats/get-statistics";
import { seesPool, type DashboardViewer } from "./viewer";

export type DashboardStatisticsQuery = Pick<GetStatisticsOptions, "period" | "year" | "month">;

/** The statistics chart's data: the pool's usage for owners and admins, a MEMBER's own audit account otherwise. */
export async function getDashboardStatistics(
  viewer: DashboardViewer,
  query: DashboardStatisticsQuery,
): Promise<BillingStatistics> {
  return getStatistics({
    mandateId: viewer.mandateId,
    period: query.period,
    year: query.year,
    month: query.month,
    userId: seesPool(viewer) ? undefined : viewer.userId,
  });
}
