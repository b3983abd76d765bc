import type { OAuthConfig } from "next-auth/providers/oauth";

/** The claims we read from the ID token; the issuer may send more. */
export interface OidcProfile {
  sub: string;
  email?: string;
  /** Must be the boolean true to sign in (oidc-sign-in-decision.ts); issuers vary, so unknown. */
  email_verified?: unknown;
  name?: string;
  preferred_username?: string;
}

export const OIDC_PROVIDER_ID = "oidc";

/** Reads OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and the optional OIDC_NAME (button text). */
export type OidcEnv = Readonly<Record<string, string | undefined>>;

/**
 * An OpenID Connect sign-in, offered only when issuer, client id and secret are all configured
 * (a half-configured provider would fail at the first click, not at start). Discovery via the
 * issuer's well-known document; PKCE and state protect the redirect.
 */
export function buildOidcProvider(env: OidcEnv = process.env): OAuthConfig<OidcProfile> | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    id: OIDC_PROVIDER_ID,
    name: env.OIDC_NAME || "SSO",
    type: "oauth",
    wellKnown: `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      return {
        id: profile.sub,
        email: profile.email ?? null,
        name: profile.name ?? profile.preferred_username ?? profile.email ?? null,
      };
    },
  };
}

/** The name shown on the sign-in button, or null when OIDC is off. */
export function oidcProviderName(env: OidcEnv = process.env): string | null {
  return buildOidcProvider(env)?.name ?? null;
}
