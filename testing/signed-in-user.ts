import type { AppUser } from "@/lib/users/get-user";
import { getUser } from "@/lib/users/get-user";

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
