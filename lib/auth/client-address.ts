import { isIP } from "node:net";

/**
 * The client address used for sign-in throttling. X-Forwarded-For is only evidence when a
 * proxy we trust wrote it: `next start` sets it to the socket's address only when the request
 * has none, so a client talking to Next directly sends whatever it likes there (and a fresh value
 * per guess would escape the per-address limit). Hence:
 * - TRUSTED_PROXY_HOPS=n (n ≥ 1 reverse proxies in front of the app, each appending the address it
 *   saw): the n-th entry from the right is the address the outermost trusted proxy saw, the first
 *   one no client can forge.
 * - otherwise, or when the header has fewer entries than hops: no address (null). The per-address
 *   limit then does not apply and the per-e-mail limit still does: one shared bucket per instance
 *   would let anyone lock every user out with 20 wrong passwords.
 * X-Real-IP is not read: it is as forgeable as the header above.
 */
export type ClientAddressEnv = Readonly<Record<string, string | undefined>>;

export function trustedProxyHops(env: ClientAddressEnv = process.env): number {
  const raw = env.TRUSTED_PROXY_HOPS?.trim();
  if (!raw || !/^\d{1,2}$/.test(raw)) return 0;
  return Number.parseInt(raw, 10);
}

export function clientAddressFromHeaders(
  headers: Record<string, unknown> | Headers | undefined,
  env: ClientAddressEnv = process.env,
): string | null {
  const hops = trustedProxyHops(env);
  if (hops === 0) return null;
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers?.["x-forwarded-for"];
  const forwarded = typeof raw === "string" ? raw : Array.isArray(raw) ? raw.join(",") : "";
  const entries = forwarded
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const seen = entries.length >= hops ? entries[entries.length - hops] : undefined;
  return seen !== undefined && isIP(seen) !== 0 ? seen : null;
}
