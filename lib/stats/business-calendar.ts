import type { PeriodType } from "@/lib/db/generated/enums";

/**
 * Statistics periods are days, months and years of one fixed business time zone: the platform
 * and its dashboard are Swiss, and a mandate's "November" must be the same for every viewer.
 * The database applies the same rule (usage_period_start() in prisma/migrations/*_baseline);
 * change both together.
 */
export const BUSINESS_TIME_ZONE = "Europe/Zurich";

/** How many years a YEAR statistic shows, ending with the requested year. */
export const YEARS_SHOWN = 5;

export interface PeriodBucket {
  /** First day of the period (local date in the business time zone), "2026-11-01". */
  start: string;
  /** Language-neutral label; the UI formats it: "2026-11-03", "2026-11", "2026". */
  label: string;
}

/**
 * The chart's points: every day of the month (DAY), every month of the year (MONTH), or the
 * last YEARS_SHOWN years up to `year` (YEAR). Pure calendar arithmetic, no time zone involved.
 */
export function periodBuckets(period: PeriodType, year: number, month: number | null): PeriodBucket[] {
  switch (period) {
    case "DAY": {
      if (month === null) throw new Error("a DAY statistic needs a month");
      const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
      return range(1, days).map((day) => {
        const date = `${yyyy(year)}-${pad2(month)}-${pad2(day)}`;
        return { start: date, label: date };
      });
    }
    case "MONTH":
      return range(1, 12).map((m) => ({ start: `${yyyy(year)}-${pad2(m)}-01`, label: `${yyyy(year)}-${pad2(m)}` }));
    case "YEAR":
      return range(year - YEARS_SHOWN + 1, year).map((y) => ({ start: `${yyyy(y)}-01-01`, label: yyyy(y) }));
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function yyyy(n: number): string {
  return String(n).padStart(4, "0");
}
