import { z } from "zod";

/**
 * An instant on the wire: ISO 8601 with Z or an offset, within what PostgreSQL's timestamptz and
 * the business calendar can hold. JavaScript accepts years 0 to 9999 with offsets up to ±99:59,
 * which reach year 10000 or before year 1 in UTC; PostgreSQL and our reports cannot. So the
 * offset is one that exists on earth (±14:00) and the instant lies in 2000-2999 (UTC).
 */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(3000, 0, 1);
const OFFSET = /(Z|([+-])(\d{2}):(\d{2}))$/i;

function isStorableInstant(value: string): boolean {
  const offset = OFFSET.exec(value);
  if (offset?.[3] && offset[4] && Number(offset[3]) * 60 + Number(offset[4]) > 14 * 60) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && time >= EARLIEST && time < LATEST;
}

export const Timestamp = z.iso
  .datetime({
    offset: true,
    message: "must be an ISO 8601 date-time with Z or an offset, e.g. 2026-11-15T08:00:00Z",
    abort: true, // one message per bad value: the range check needs a date-time to read
  })
  .refine(isStorableInstant, { message: "must lie between the years 2000 and 2999, with an offset of at most ±14:00" })
  .meta({ format: "date-time", example: "2026-11-15T08:00:00Z" });
