/**
 * next-auth's cookies get the Secure flag and the __Secure-/__Host- prefixes exactly when the app
 * is served over https (NEXTAUTH_URL). Stated here rather than left to next-auth's default, which
 * may derive the URL from request headers on some hosts.
 */
export function secureCookiesFor(nextAuthUrl: string | undefined): boolean {
  return nextAuthUrl?.trim().toLowerCase().startsWith("https://") ?? false;
}
