import type { TFunction } from "i18next";
import { UNATTRIBUTED, type CostShare, type CostShareRow, type UserCostShare } from "@/lib/stats/cost-share";

export type { CostShareRow };

/** Usage booked without a model (storage, calls that named none): usage_breakdown_key(NULL). */
const NO_MODEL = "unknown";

/**
 * The breakdown's lines as the rows a cost-share chart, its table and its CSV show, named in
 * the viewer's language (t: the "billing" namespace). Safe in the browser.
 */
export function userRows(t: TFunction, lines: UserCostShare[]): CostShareRow[] {
  return lines.map((line) => ({
    key: line.key,
    name: line.key === UNATTRIBUTED ? t("statistics.unattributed") : (line.name ?? t("statistics.unknownUser")),
    amount: line.amount,
    share: line.share,
    transactionCount: line.transactionCount,
  }));
}

export function modelRows(t: TFunction, lines: CostShare[]): CostShareRow[] {
  return lines.map((line) => ({
    key: line.key,
    name: line.key === NO_MODEL ? t("statistics.noModel") : line.key,
    amount: line.amount,
    share: line.share,
    transactionCount: line.transactionCount,
  }));
}
