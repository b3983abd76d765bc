/**
 * The transactions page's filters and sort as they stand in the URL, in one canonical order so
 * the same view always makes the same react-query key. Values are passed through as text: the
 * dashboard route validates them (lib/dashboard/transaction-query.ts). The page position
 * (cursor) is deliberately not in the URL: a keyset cursor is only meaningful with its filters,
 * and a reload starting at the first page is what people expect. Safe in the browser.
 */
const TRANSACTION_URL_KEYS = [
  "sort",
  "dir",
  "type",
  "referenceType",
  "provider",
  "model",
  "feature",
  "user",
  "from",
  "to",
] as const;

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

/** True when anything but the sort narrows the list. */
export function hasFilters(state: TransactionUrlState): boolean {
  return TRANSACTION_URL_KEYS.some((key) => key !== "sort" && key !== "dir" && Boolean(state[key]));
}
