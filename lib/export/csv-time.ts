import type { Locale } from "@/lib/i18n/config";
import { BUSINESS_TIME_ZONE } from "@/lib/stats/business-calendar";

/**
 * A time in the export as the dashboard means it: Zurich wall-clock time to the second, with its
 * UTC offset so the file stays unambiguous across the DST switch ("05.12.2026 14:03:00 +01:00";
 * English in year-first order, "2026-12-05 14:03:00 +01:00", which sorts as text).
 *
 * An export may write millions of times, so Intl is asked only for the zone's offset, once per
 * UTC hour (Zurich's offset only changes on a whole UTC hour); the digits are built from it.
 */
const OFFSET_FORMAT = new Intl.DateTimeFormat("en-US", { timeZone: BUSINESS_TIME_ZONE, timeZoneName: "longOffset" });
const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 50_000;
const offsets = new Map<number, number>();

function offsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const name = OFFSET_FORMAT.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "";
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    offset = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
    // Bounded, so a long export keeps a flat memory profile.
    if (offsets.size >= MAX_CACHED_HOURS) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

const two = (n: number) => String(n).padStart(2, "0");

export function formatCsvTime(iso: string, locale: Locale): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`"${iso}" is not a time`);
  const offset = offsetMinutes(ms);
  const local = new Date(ms + offset * 60_000);
  const [year, month, day] = [local.getUTCFullYear(), two(local.getUTCMonth() + 1), two(local.getUTCDate())];
  const date = locale === "de" ? `${day}.${month}.${year}` : `${year}-${month}-${day}`;
  const time = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${date} ${time} ${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
