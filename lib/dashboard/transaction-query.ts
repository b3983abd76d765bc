import { z } from "zod";
import { SafeText } from "@/lib/api/safe-text";
import { ReferenceType, TransactionType } from "@/lib/db/generated/enums";
import {
  SORT_DIRECTIONS,
  TRANSACTION_SORT_FIELDS,
  type ListTransactionsOptions,
  type TransactionFilter,
} from "@/lib/ledger/list-transactions";
import { businessDayStart, nextDate, zurichDate } from "./business-dates";
import { seesPool, type DashboardViewer } from "./viewer";

/**
 * The transactions page's state as it stands in the URL (and in the dashboard routes' query
 * strings): filters, sort and page position. One schema for the page, the list, the count and
 * the CSV export, so all four select the same rows. Empty parameters mean "no filter": an empty
 * form field submits as `provider=`.
 */
const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());
const FilterText = SafeText.trim().min(1).max(200);
/**
 * A calendar day of the business time zone, one that exists ("2026-02-30" does not) in the years
 * the ledger can hold: from 1970, and before 9999 so that the day after the last one (the `to`
 * filter's exclusive end) is a date too. JavaScript reads years 0-99 as 1900-1999, so they must
 * never reach Date.UTC.
 */
const BusinessDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((value) => {
    const year = Number(value.slice(0, 4));
    if (year < 1970 || year > 9998) return false;
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
  }, "must be a calendar day between 1970-01-01 and 9998-12-31");

/**
 * The quick ranges, relative to the day the list is read: a bookmarked "this month" shows the
 * month it is opened in. Zurich calendar days, like the date fields and the statistics.
 */
export const QUICK_RANGES = ["today", "thisMonth", "lastMonth", "last30Days"] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

/** The first and last Zurich day (inclusive) of a quick range, read at `now`. */
export function quickRangeDays(range: QuickRange, now: Date = new Date()): { from: string; to: string } {
  const today = zurichDate(now);
  const [year, month] = today.split("-").map(Number) as [number, number];
  const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
  switch (range) {
    case "today":
      return { from: today, to: today };
    case "thisMonth":
      return { from: day(year, month, 1), to: day(year, month + 1, 0) };
    case "lastMonth":
      return { from: day(year, month - 1, 1), to: day(year, month, 0) };
    case "last30Days":
      return { from: day(year, month, Number(today.slice(8)) - 29), to: today };
  }
}

/** Pages are numbered for people; the position itself is the cursor. */
const PageNumber = z.coerce.number({ message: "must be a page number" }).int().min(1).max(1_000_000_000);

export const TransactionQuery = z
  .object({
    sort: optional(z.enum(TRANSACTION_SORT_FIELDS)),
    dir: optional(z.enum(SORT_DIRECTIONS)),
    type: optional(z.enum(TransactionType)),
    referenceType: optional(z.enum(ReferenceType)),
    provider: optional(FilterText),
    model: optional(FilterText),
    feature: optional(FilterText),
    /** Owners and admins only: transactions this user caused. Dropped for members. */
    user: optional(z.uuid({ message: "must be a UUID" })),
    /** First day, inclusive. */
    from: optional(BusinessDate),
    /** Last day, inclusive (the form's "to" date). */
    to: optional(BusinessDate),
    /** Part of the model name or the description, any case. */
    q: optional(FilterText),
    /** A quick range instead of from/to. */
    range: optional(z.enum(QUICK_RANGES)),
    cursor: optional(z.string().max(500)),
    /** The page before the one this cursor starts (the pager's "previous"). */
    before: optional(z.string().max(500)),
    /** The page's number as the pager shows it; does not select rows. */
    page: optional(PageNumber),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from > query.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "to must not be before from" });
    }
    if (query.range && (query.from || query.to)) {
      ctx.addIssue({ code: "custom", path: ["range"], message: "range and from/to exclude each other" });
    }
    if (query.cursor && query.before) {
      ctx.addIssue({ code: "custom", path: ["before"], message: "cursor and before exclude each other" });
    }
  });

export type TransactionQuery = z.infer<typeof TransactionQuery>;

/** The page's search params, lenient: a hand-edited URL that does not parse shows the unfiltered list. */
export function parseTransactionSearchParams(params: Record<string, string | string[] | undefined>): TransactionQuery {
  const single = Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  const parsed = TransactionQuery.safeParse(single);
  return parsed.success ? parsed.data : {};
}

/**
 * What the viewer may see of the query. A MEMBER's list is their own audit account
 * (auditUserId = themselves) whatever the URL says: the `user` parameter is dropped, and the
 * other filters can only narrow that account's rows. Owners and admins list the pool, where
 * `user` means "caused by that user". Dates are Zurich days, like the statistics.
 */
export function toTransactionFilter(
  viewer: DashboardViewer,
  query: TransactionQuery,
  now: Date = new Date(),
): TransactionFilter {
  const scope = seesPool(viewer) ? { userId: query.user } : { auditUserId: viewer.userId };
  const days = query.range ? quickRangeDays(query.range, now) : { from: query.from, to: query.to };
  return {
    mandateId: viewer.mandateId,
    ...scope,
    type: query.type,
    referenceType: query.referenceType,
    provider: query.provider,
    model: query.model,
    featureCode: query.feature,
    from: days.from ? businessDayStart(days.from) : undefined,
    to: days.to ? businessDayStart(nextDate(days.to)) : undefined,
    search: query.q,
  };
}

export function toListOptions(
  viewer: DashboardViewer,
  query: TransactionQuery,
  now: Date = new Date(),
): ListTransactionsOptions {
  return {
    ...toTransactionFilter(viewer, query, now),
    sort: query.sort,
    direction: query.dir,
    cursor: query.cursor,
    before: query.before,
  };
}
