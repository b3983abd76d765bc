/**
 * The shapes of the statistics page's cost by user and by model (get-cost-breakdown.ts), apart
 * from the query so the browser can import them. Safe in the browser.
 */

/** A line of a breakdown; share is the percentage of the breakdown's total, one decimal. */
export interface CostShare {
  /** A user id, UNATTRIBUTED, or a model id (usage_breakdown_key: "unknown" for none). */
  key: string;
  amount: string;
  share: string;
  /** Debits counted; null where the roll-up keeps amounts only (models). */
  transactionCount: number | null;
}

export interface UserCostShare extends CostShare {
  /** The user's display name; null for UNATTRIBUTED (the UI names it). */
  name: string | null;
}

export interface CostBreakdown {
  currency: string;
  /** As BillingStatistics.complete: false only while the roll-up is far behind. */
  complete: boolean;
  /** The period's cost of the account the figures are about (the pool, or the user's own). */
  totalCost: string;
  /** Largest first; members without usage in the period at the end with zero. */
  byUser: UserCostShare[];
  /** Largest first. */
  byModel: CostShare[];
}

/**
 * The byUser key of pool usage no member caused (machine API calls without a user, storage):
 * the pool's cost less its members', so the lines add up to the total.
 */
export const UNATTRIBUTED = "unattributed";

/**
 * One line of a cost-share chart as the chart, its table and its CSV all show it: the same rows,
 * in the same order, with the same names.
 */
export interface CostShareRow {
  key: string;
  name: string;
  /** Decimal string, exact. */
  amount: string;
  /** Percentage of the total, one decimal. */
  share: string;
  transactionCount: number | null;
}
