import { businessDayStart } from "@/lib/dashboard/business-dates";

/**
 * Calendar arithmetic on Zurich dates ("YYYY-MM-DD") for the runway: windows of whole days and
 * the months the auto-recharge cap counts in. Dates are plain calendar values; only
 * monthStartInstant turns one into an instant (Zurich midnight, DST included).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface YearMonth {
  year: number;
  /** 1-12 */
  month: number;
}

function parts(date: string): [number, number, number] {
  const match = DATE.exec(date);
  if (!match) throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** `date` moved by `days` calendar days ("2026-03-01", -1 → "2026-02-28"). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function monthOfDate(date: string): YearMonth {
  const [year, month] = parts(date);
  return { year, month };
}

export function firstOfMonth({ year, month }: YearMonth): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
}

export function shiftMonth({ year, month }: YearMonth, by: number): YearMonth {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** Midnight of the month's first day in Zurich, as an instant. */
export function monthStartInstant(month: YearMonth): Date {
  return new Date(businessDayStart(firstOfMonth(month)));
}
