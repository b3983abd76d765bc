import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { linkOidcUser } from "@/lib/users/link-oidc-user";
import { clientAddressFromHeaders } from "./client-address";
import { readNextAuthSecret } from "./nextauth-secret";
import { buildOidcProvider, OIDC_PROVIDER_ID, type OidcProfile } from "./oidc-provider";
import { decideOidcSignIn } from "./oidc-sign-in-decision";
import { secureCookiesFor } from "./secure-cookies";
import { verifyCredentials } from "./verify-credentials";

/** A session lasts at most one working day; then the person signs in again. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/**
 * Errors the sign-in page translates (auth:signIn.errors.<code>). next-auth passes a message
 * thrown in `authorize` through as the `error` value; returning null yields CredentialsSignin.
 */
const THROTTLED_ERROR = "THROTTLED";

const oidc = buildOidcProvider();

export const authOptions: NextAuthOptions = {
  secret: readNextAuthSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  useSecureCookies: secureCookiesFor(process.env.NEXTAUTH_URL),
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "E-mail",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, req) {
        const result = await verifyCredentials({
          email: credentials?.email,
          password: credentials?.password,
          clientAddress: clientAddressFromHeaders(req.headers),
        });
        if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
        if (result.reason === "THROTTLED") throw new Error(THROTTLED_ERROR);
        return null;
      },
    }),
    ...(oidc ? [oidc] : []),
  ],
  callbacks: {
    signIn({ account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      // Accounts are linked by e-mail, so the issuer must vouch for the address; a refusal
      // goes back to the sign-in page with a code it translates.
      const decision = decideOidcSignIn(profile as OidcProfile | undefined);
      return decision.ok ? true : `/signin?error=${decision.error}`;
    },
    async jwt({ token, user, account }) {
      if (!account) return token; // not a sign-in: keep the token as issued
      let userId = user.id;
      if (account.provider === OIDC_PROVIDER_ID) {
        if (!user.email) throw new Error("AccessDenied");
        userId = (await linkOidcUser({ email: user.email, name: user.name })).id;
      }
      return { ...token, sub: userId, userId, signedInAt: Date.now() };
    },
    session({ session, token }) {
      return { ...session, userId: token.userId ?? "", signedInAt: token.signedInAt ?? 0 };
    },
  },
};
