/**
 * The transactions page's state as it stands in the URL, in one canonical order so the same view
 * always makes the same react-query key: filters, sort and the page position (a keyset cursor,
 * or the `before` cursor of the page after, and the page's number as the pager shows it), so a
 * reload or the browser's back button returns to the same page. Values are passed through as
 * text: the dashboard route validates them (lib/dashboard/transaction-query.ts) and the page
 * shows its refusals at the fields. Safe in the browser.
 */
const FILTER_URL_KEYS = [
  "sort",
  "dir",
  "q",
  "range",
  "type",
  "referenceType",
  "provider",
  "model",
  "feature",
  "user",
  "from",
  "to",
] as const;
const POSITION_URL_KEYS = ["cursor", "before", "page"] as const;
const TRANSACTION_URL_KEYS = [...FILTER_URL_KEYS, ...POSITION_URL_KEYS] as const;

export type TransactionUrlKey = (typeof TRANSACTION_URL_KEYS)[number];
export type TransactionUrlState = Partial<Record<TransactionUrlKey, string>>;

export function readTransactionUrlState(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): TransactionUrlState {
  const state: TransactionUrlState = {};
  for (const key of TRANSACTION_URL_KEYS) {
    const raw = params instanceof URLSearchParams ? params.get(key) : params[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) state[key] = value;
  }
  return state;
}

export function transactionSearch(state: TransactionUrlState): string {
  const params = new URLSearchParams();
  for (const key of TRANSACTION_URL_KEYS) {
    const value = state[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** The state without the page position: what the count and the export select, and the first page. */
export function withoutPosition(state: TransactionUrlState): TransactionUrlState {
  const { cursor: _cursor, before: _before, page: _page, ...filters } = state;
  return filters;
}

/** True when anything but the sort and the position narrows the list. */
export function hasFilters(state: TransactionUrlState): boolean {
  return FILTER_URL_KEYS.some((key) => key !== "sort" && key !== "dir" && Boolean(state[key]));
}

/** The page number the pager shows: the URL's, or 1 for a URL without one. */
export function pageNumber(state: TransactionUrlState): number {
  const page = Number(state.page);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}
