import { BUSINESS_TIME_ZONE, zurichOffsetMs } from "@/lib/stats/business-calendar";

/**
 * Calendar dates of the business time zone (Europe/Zurich) as the dashboard uses them: "this
 * month" on the overview, and the date-range filter, whose days must be the statistics' days
 * (a 23:30 UTC debit on 31 December belongs to 1 January in both).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Year and month (1-12) of `now` in Zurich. */
export function currentBusinessMonth(now: Date = new Date()): { year: number; month: number } {
  const [year, month] = zurichDate(now).split("-").map(Number);
  return { year: year ?? now.getUTCFullYear(), month: month ?? now.getUTCMonth() + 1 };
}

/** "YYYY-MM-DD" of `instant` in Zurich. */
export function zurichDate(instant: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: BUSINESS_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

/** The instant a Zurich calendar day starts, as ISO 8601 UTC ("2026-01-01" → "2025-12-31T23:00:00.000Z"). */
export function businessDayStart(date: string): string {
  const match = DATE.exec(date);
  if (!match) throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  const utcMidnight = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Zurich's offset at that midnight; DST changes happen at 02:00/03:00, never at midnight.
  const offset = zurichOffsetMs(new Date(utcMidnight - 2 * 3_600_000));
  return new Date(utcMidnight - offset).toISOString();
}

/** The calendar day after `date` ("2026-02-28" → "2026-03-01"). */
export function nextDate(date: string): string {
  const match = DATE.exec(date);
  if (!match) throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1)).toISOString().slice(0, 10);
}
