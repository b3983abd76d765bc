import { getCostBreakdown, type CostBreakdown } from "@/lib/stats/get-cost-breakdown";
import { getStatistics, type BillingStatistics, type GetStatisticsOptions } from "@/lib/stats/get-statistics";
import { seesPool, type DashboardViewer } from "./viewer";

export type DashboardStatisticsQuery = Pick<GetStatisticsOptions, "period" | "year" | "month">;

/** The statistics page's data: the charts over time, and who and which model spent it. */
export interface DashboardStatistics extends BillingStatistics {
  breakdown: CostBreakdown;
}

/**
 * The statistics page's data: the pool's usage and every member's line for owners and admins; a
 * MEMBER's own audit account and own line only. The scope comes from the role, never from the
 * query, so no parameter can widen it.
 */
export async function getDashboardStatistics(
  viewer: DashboardViewer,
  query: DashboardStatisticsQuery,
): Promise<DashboardStatistics> {
  const options = {
    mandateId: viewer.mandateId,
    period: query.period,
    year: query.year,
    month: query.month,
    userId: seesPool(viewer) ? undefined : viewer.userId,
  };
  const [statistics, breakdown] = await Promise.all([getStatistics(options), getCostBreakdown(options)]);
  return { ...statistics, breakdown };
}
