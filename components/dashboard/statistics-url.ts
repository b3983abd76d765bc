import { PeriodType } from "@/lib/db/generated/enums";
import { YEARS_SHOWN } from "@/lib/stats/business-calendar";

/**
 * The statistics page's view as it stands in the URL (?period=DAY&year=2026&month=11), read the
 * same way by the server page and the client view. Anything missing or malformed falls back to
 * this month, shown by month; the month is kept for MONTH and YEAR too, so switching back to DAY
 * returns to it. Safe in the browser.
 */
export interface StatisticsViewState {
  period: PeriodType;
  year: number;
  month: number;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

/** Years the statistics routes accept (lib/api/routes/mandates.ts StatisticsQuery). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2999;

export function readStatisticsView(params: Params, today: { year: number; month: number }): StatisticsViewState {
  const get = (key: string): string | null => {
    if (params instanceof URLSearchParams) return params.get(key);
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
  const period = get("period");
  const year = wholeNumber(get("year"), MIN_YEAR, MAX_YEAR);
  const month = wholeNumber(get("month"), 1, 12);
  return {
    period: period === "DAY" || period === "MONTH" || period === "YEAR" ? PeriodType[period] : "MONTH",
    year: year ?? today.year,
    month: month ?? today.month,
  };
}

export function statisticsSearch(view: StatisticsViewState): string {
  return new URLSearchParams({ period: view.period, year: String(view.year), month: String(view.month) }).toString();
}

/** One step back or forward: a month for DAY, a year for MONTH, the shown span of years for YEAR. */
export function shiftView(view: StatisticsViewState, step: -1 | 1): StatisticsViewState {
  switch (view.period) {
    case "DAY": {
      const index = view.year * 12 + (view.month - 1) + step;
      return { ...view, year: Math.floor(index / 12), month: (index % 12) + 1 };
    }
    case "MONTH":
      return { ...view, year: view.year + step };
    case "YEAR":
      return { ...view, year: view.year + step * YEARS_SHOWN };
  }
}

/** Whether a step stays within the years the routes accept and does not start in the future. */
export function canShift(view: StatisticsViewState, step: -1 | 1, today: { year: number; month: number }): boolean {
  const next = shiftView(view, step);
  const firstYear = next.period === "YEAR" ? next.year - YEARS_SHOWN + 1 : next.year;
  if (firstYear < MIN_YEAR || next.year > MAX_YEAR) return false;
  if (step < 0) return true;
  if (next.period === "DAY") return next.year * 12 + next.month <= today.year * 12 + today.month;
  return firstYear <= today.year;
}

function wholeNumber(value: string | null, min: number, max: number): number | null {
  if (value === null || !/^\d{1,4}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}
