/**
 * Whether an OpenID Connect sign-in may go on. Its person is found (or created) by e-mail, so the
 * issuer must vouch for the address with the claim `email_verified` as the JSON boolean `true`.
 * A missing claim, `false`, or a string such as "true"/"false" (some issuers send strings, and a
 * truthiness check would read "false" as true) is refused: otherwise anyone who can register that
 * address at the issuer unverified could take over the account that has it here.
 */
export type OidcSignInDecision = { ok: true } | { ok: false; error: OidcSignInError };

/** Codes the sign-in page translates (auth:signIn.errors.<code>). */
export type OidcSignInError = "EMAIL_MISSING" | "EMAIL_NOT_VERIFIED";

export function decideOidcSignIn(
  claims: { email?: unknown; email_verified?: unknown } | undefined,
): OidcSignInDecision {
  if (typeof claims?.email !== "string" || claims.email.trim() === "") return { ok: false, error: "EMAIL_MISSING" };
  if (claims.email_verified !== true) return { ok: false, error: "EMAIL_NOT_VERIFIED" };
  return { ok: true };
}
