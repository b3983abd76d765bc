/** A field the server refused, as its 400 answer names it (`details[].path`). */
export interface RefusedField {
  path: string;
  message: string;
}

/** A dashboard route's error answer, with the refused fields of a 400. */
export class TransactionsFetchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    readonly fields: RefusedField[],
  ) {
    super(`request failed with ${status}${code ? ` (${code})` : ""}`);
  }
}

/** A refusal of the request itself: asking again gives the same answer. */
export function isRefusal(error: unknown): boolean {
  return error instanceof TransactionsFetchError && error.status >= 400 && error.status < 500;
}

function readError(body: unknown): { code: string | null; fields: RefusedField[] } {
  if (!body || typeof body !== "object" || !("error" in body)) return { code: null, fields: [] };
  const error = (body as { error?: { code?: unknown; details?: unknown } }).error;
  const code = typeof error?.code === "string" ? error.code : null;
  const details = Array.isArray(error?.details) ? (error.details as unknown[]) : [];
  const fields = details.flatMap((detail): RefusedField[] => {
    if (!detail || typeof detail !== "object") return [];
    const { path, message } = detail as { path?: unknown; message?: unknown };
    return typeof path === "string" ? [{ path, message: typeof message === "string" ? message : "" }] : [];
  });
  return { code, fields };
}

/**
 * GET a transactions route (same origin, session cookie) for react-query. Unlike the shared
 * fetchJson, a refusal keeps its field paths, so the filters can show the reason at the field.
 */
export async function fetchTransactions<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) {
    const { code, fields } = readError(await res.json().catch(() => null));
    throw new TransactionsFetchError(res.status, code, fields);
  }
  return (await res.json()) as T;
}
