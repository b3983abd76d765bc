import type { MandateRole } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { getMandate } from "@/lib/mandates/get-mandate";
import { getMembershipRole } from "@/lib/mandates/get-membership";
import type { AppUser } from "@/lib/users/get-user";
import { decideMemberAccess } from "./roles";
import { requireUser } from "./require-user";

export interface MemberContext {
  mandateId: string;
  userId: string;
  /** The effective role: the membership's, or OWNER for a platform admin. */
  role: MandateRole;
  isPlatformAdmin: boolean;
  user: AppUser;
}

/**
 * Authorizes a person for a mandate named in the URL, per request: the session, then the
 * membership row (never cached across requests, so a removed member loses access at once).
 * Throws UNAUTHENTICATED, NOT_FOUND (no member: the mandate's existence stays hidden) or
 * FORBIDDEN (member below `minimumRole`).
 */
export async function requireMember(mandateId: string, minimumRole: MandateRole = "MEMBER"): Promise<MemberContext> {
  const user = await requireUser();
  const membershipRole = user.isPlatformAdmin ? null : await getMembershipRole(mandateId, user.id);
  const mandateExists = user.isPlatformAdmin ? (await getMandate(mandateId)) !== null : membershipRole !== null;
  const access = decideMemberAccess({
    mandateExists,
    membershipRole,
    isPlatformAdmin: user.isPlatformAdmin,
    minimumRole,
  });
  if (!access.ok) {
    throw new DomainError(
      access.code,
      access.code === "NOT_FOUND" ? "mandate not found" : `requires role ${minimumRole}`,
    );
  }
  return { mandateId, userId: user.id, role: access.role, isPlatformAdmin: user.isPlatformAdmin, user };
}
