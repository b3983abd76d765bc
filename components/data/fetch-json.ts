/** A dashboard route's error answer: its status and the stable error code the UI could translate. */
class DashboardFetchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
  ) {
    super(`request failed with ${status}${code ? ` (${code})` : ""}`);
  }
}

/**
 * GET one of our dashboard routes (same origin, session cookie) for react-query. The body's
 * shape is the route's contract, typed by the caller.
 */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    const code =
      body && typeof body === "object" && "error" in body && body.error && typeof body.error === "object"
        ? String((body.error as { code?: unknown }).code ?? "") || null
        : null;
    throw new DashboardFetchError(res.status, code);
  }
  return (await res.json()) as T;
}
