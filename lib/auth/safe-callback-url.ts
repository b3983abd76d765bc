/** Where to go after sign-in when nothing (or nothing safe) was asked for. */
export const DEFAULT_AFTER_SIGN_IN = "/mandates";

/**
 * Only same-site paths: "/mandates/…" yes, "https://evil.example" or "//evil.example" no, so the
 * sign-in page cannot be used to bounce people to another site after they typed their password.
 */
export function safeCallbackUrl(value: unknown, origin?: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return DEFAULT_AFTER_SIGN_IN;
  let path = value;
  // next-auth hands back absolute URLs of our own origin (e.g. after an OIDC error).
  if (origin && value.startsWith(`${origin}/`)) path = value.slice(origin.length);
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return DEFAULT_AFTER_SIGN_IN;
  if (path.startsWith("/signin") || path.startsWith("/api/auth")) return DEFAULT_AFTER_SIGN_IN;
  return path;
}
