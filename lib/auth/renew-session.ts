import { cookies } from "next/headers";
import { decode, encode } from "next-auth/jwt";
import { SESSION_MAX_AGE_SECONDS } from "./auth-options";
import { readNextAuthSecret } from "./nextauth-secret";
import { secureCookiesFor } from "./secure-cookies";

/**
 * Signs the current session in again, now: after a password change, sessions signed in before it
 * are over (getSessionUser), except the one that made the change. Rewrites next-auth's session
 * cookie (its name and options as next-auth sets them for this NEXTAUTH_URL) with a fresh
 * `signedInAt`; the person, the token's other claims and its maximum age stay. For server actions
 * and route handlers, which may set cookies.
 */
export async function renewCurrentSession(): Promise<void> {
  const secure = secureCookiesFor(process.env.NEXTAUTH_URL);
  const name = `${secure ? "__Secure-" : ""}next-auth.session-token`;
  const jar = await cookies();
  const current = jar.get(name)?.value;
  if (!current) return;
  const secret = readNextAuthSecret();
  if (!secret) return;
  const token = await decode({ token: current, secret });
  if (!token) return;
  const renewed = await encode({
    token: { ...token, signedInAt: Date.now() },
    secret,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  jar.set(name, renewed, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: SESSION_MAX_AGE_SECONDS });
}
