/**
 * The client address used for throttling. `next start` fills X-Forwarded-For with the socket's
 * address when the header is absent; a reverse proxy appends the address it saw. The right-most
 * entry is therefore the one added by the nearest hop, not one a client can choose (a client
 * talking to Next directly could still send its own header, which is why the per-e-mail limit
 * does not rely on this address).
 */
export function clientAddressFromHeaders(headers: Record<string, unknown> | Headers | undefined): string {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers?.["x-forwarded-for"];
  const forwarded = typeof raw === "string" ? raw : Array.isArray(raw) ? raw.join(",") : "";
  const last = forwarded
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  const realIp = headers instanceof Headers ? headers.get("x-real-ip") : headers?.["x-real-ip"];
  return last ?? (typeof realIp === "string" && realIp ? realIp : "unknown");
}
