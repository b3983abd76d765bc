import type { TFunction } from "i18next";
import type { RefusedField } from "./fetch-transactions";
import type { TransactionUrlKey, TransactionUrlState } from "./transaction-url";

/** What the filter form shows for a refused request: a reason per field, in the UI language. */
export interface RefusedFilters {
  fields: Partial<Record<TransactionUrlKey, string>>;
  /** The page position (a cursor) was refused: only "first page" helps. */
  position: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_FIELDS: ReadonlySet<string> = new Set(["q", "model", "provider", "feature"]);
const CHOICE_FIELDS: ReadonlySet<string> = new Set(["type", "referenceType", "user", "sort", "dir"]);

/**
 * The server's field paths turned into reasons. The server's messages are English, for logs and
 * API clients; the reason is chosen from the field and the values the request carried.
 */
export function refusedFilters(fields: RefusedField[], state: TransactionUrlState, t: TFunction): RefusedFilters {
  const result: RefusedFilters = { fields: {}, position: false };
  for (const { path } of fields) {
    if (path === "cursor" || path === "before" || path === "page") {
      result.position = true;
    } else if (path === "from" || path === "to") {
      const ordered = state.from && state.to && DAY.test(state.from) && DAY.test(state.to) && state.from > state.to;
      result.fields[path] = t(
        path === "to" && ordered ? "transactions.invalid.toBeforeFrom" : "transactions.invalid.date",
      );
    } else if (path === "range") {
      result.fields.range = t(
        state.from || state.to ? "transactions.invalid.rangeWithDates" : "transactions.invalid.choice",
      );
    } else if (TEXT_FIELDS.has(path)) {
      result.fields[path as TransactionUrlKey] = t("transactions.invalid.text");
    } else if (CHOICE_FIELDS.has(path)) {
      result.fields[path as TransactionUrlKey] = t("transactions.invalid.choice");
    }
  }
  return result;
}
