import { createApiKey } from "@/lib/api-keys/api-keys";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import type { zodDetails } from "@/lib/errors";
import type { ErrorBody } from "@/lib/http/error-response";

/** Small fetch wrapper for HTTP tests: JSON in and out, bearer key, status kept. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/** lib/http/error-response.ts's body, with `details` typed as the field paths a 400 carries. */
export interface ApiErrorBody {
  error: Omit<ErrorBody["error"], "details"> & { details?: ReturnType<typeof zodDetails> };
}

export type ApiClient = ReturnType<typeof apiClient>;

export function apiClient(baseUrl: string, key: string | null) {
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T } satisfies ApiResponse<T>;
  }
  return {
    get: <T>(path: string) => call<T>("GET", path),
    post: <T>(path: string, body: unknown, headers?: Record<string, string>) => call<T>("POST", path, body, headers),
  };
}

/** A fresh API key scoped to one mandate (or platform-wide with null). */
export async function createTestApiKey(mandateId: string | null): Promise<string> {
  return (await createApiKey({ name: `test key ${mandateId ?? "platform"}`, mandateId })).key;
}

/** A fresh mandate (with the given pool balance) and a client holding a key for it alone. */
export async function mandateWithApiClient(
  baseUrl: string,
  balance = "10",
): Promise<{ m: TestMandate; api: ApiClient }> {
  const m = await createTestMandate({ balance });
  return { m, api: apiClient(baseUrl, await createTestApiKey(m.mandateId)) };
}
