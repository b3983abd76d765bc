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

/**
 * The instant the business month containing `at` begins: midnight of its 1st in Zurich
 * (usage_period_start(at, 'MONTH') in the database). Storage periods use it until plans exist.
 */
export function businessMonthStart(at: Date): Date {
  const { year, month } = zurichParts(at);
  const localMidnight = Date.UTC(year, month - 1, 1);
  // Zurich is UTC+1 or +2, and never changes offset around a month's first midnight; the
  // second pass only guards that assumption.
  let start = localMidnight - zurichOffsetMs(new Date(localMidnight));
  start = localMidnight - zurichOffsetMs(new Date(start));
  return new Date(start);
}

/** The business month of `at` as "2026-11" (Zurich). */
export function businessMonthLabel(at: Date): string {
  const { year, month } = zurichParts(at);
  return `${yyyy(year)}-${pad2(month)}`;
}

const ZURICH_PARTS = new Intl.DateTimeFormat("en-US", {
  timeZone: BUSINESS_TIME_ZONE,
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
  hourCycle: "h23",
});

function zurichParts(at: Date) {
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(ZURICH_PARTS.formatToParts(at).find((p) => p.type === type)?.value);
  return {
    year: part("year"),
    month: part("month"),
    day: part("day"),
    hour: part("hour"),
    minute: part("minute"),
    second: part("second"),
  };
}

/** Zurich's offset from UTC at `at`, in milliseconds (3,600,000 or 7,200,000). */
export function zurichOffsetMs(at: Date): number {
  const p = zurichParts(at);
  const asLocal = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asLocal - (at.getTime() - at.getUTCMilliseconds());
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
