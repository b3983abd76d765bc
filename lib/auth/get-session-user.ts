import { getServerSession } from "next-auth";
import { cache } from "react";
import { getUser, type AppUser } from "@/lib/users/get-user";
import { authOptions, SESSION_MAX_AGE_SECONDS } from "./auth-options";

/**
 * The signed-in person, re-read from app_user on every request (so a deleted user, a revoked
 * platform-admin flag or a new password takes effect at once), or null. React's cache() shares the lookup between
 * the layouts and page of one request only.
 */
export const getSessionUser = cache(async (): Promise<AppUser | null> => {
  const session = await getServerSession(authOptions);
  if (!session?.userId) return null;
  // The cookie's own expiry is refreshed by next-auth's session endpoint; this bound is not.
  if (Date.now() - session.signedInAt > SESSION_MAX_AGE_SECONDS * 1000) return null;
  const user = await getUser(session.userId);
  return user && sessionStillValid(session.signedInAt, user) ? user : null;
});

/**
 * A session signed in before the account's password last changed is over: the cookie cannot be
 * taken back, so it is refused. The session that made the change was signed in again by it
 * (app/(dashboard)/account/actions.ts).
 */
export function sessionStillValid(signedInAt: number, user: Pick<AppUser, "sessionsValidFrom">): boolean {
  return user.sessionsValidFrom === null || signedInAt >= user.sessionsValidFrom.getTime();
}
