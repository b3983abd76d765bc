import type { AppUser } from "@/lib/users/get-user";
import { DomainError } from "@/lib/errors";
import { getSessionUser } from "./get-session-user";

/** The signed-in person, or UNAUTHENTICATED. Pages use requirePageUser (redirects to /signin). */
export async function requireUser(): Promise<AppUser> {
  const user = await getSessionUser();
  if (!user) throw new DomainError("UNAUTHENTICATED", "Not signed in");
  return user;
}

/** Platform pages and actions: FORBIDDEN for everyone else. */
export async function requirePlatformAdmin(): Promise<AppUser> {
  const user = await requireUser();
  if (!user.isPlatformAdmin) throw new DomainError("FORBIDDEN", "Platform admins only");
  return user;
}
