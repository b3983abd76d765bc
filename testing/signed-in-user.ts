import type { AppUser } from "@/lib/users/get-user";
import { getUser } from "@/lib/users/get-user";
import type { TestMandate } from "./test-factories";

/**
 * Who is signed in, for in-process tests of dashboard routes and server actions. Outside a Next
 * request there is no session cookie to read, so a test replaces lib/auth/get-session-user with
 * `signedInUser` (vi.mock) and picks the person with `signIn`. Only the cookie is stood in for:
 * the user row is read from the database as in production, so a deleted user or a revoked
 * platform-admin flag still counts.
 */
let currentUserId: string | null = null;

export function signIn(userId: string | null): void {
  currentUserId = userId;
}

export function signedInUser(): Promise<AppUser | null> {
  return currentUserId ? getUser(currentUserId) : Promise.resolve(null);
}

/** Who may be signed in when a test pits mandate A against B: A's three roles, B's owner, a platform admin, nobody. */
export const TWO_MANDATE_SESSIONS = ["ownerA", "adminA", "memberA", "ownerB", "platformAdmin", "none"] as const;
export type TwoMandateSession = (typeof TWO_MANDATE_SESSIONS)[number];

export function signInAs(
  session: TwoMandateSession,
  people: { a: TestMandate; b: TestMandate; platformAdminId: string },
): void {
  const { a, b, platformAdminId } = people;
  signIn(
    {
      ownerA: a.ownerId,
      adminA: a.adminId,
      memberA: a.memberId,
      ownerB: b.ownerId,
      platformAdmin: platformAdminId,
      none: null,
    }[session],
  );
}
