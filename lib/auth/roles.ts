import type { MandateRole } from "@/lib/db/generated/client";

/** OWNER > ADMIN > MEMBER: a role satisfies every requirement at or below its rank. */
const ROLE_RANK: Record<MandateRole, number> = { MEMBER: 1, ADMIN: 2, OWNER: 3 };

export function roleSatisfies(role: MandateRole, minimumRole: MandateRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimumRole];
}

export type MemberAccess = { ok: true; role: MandateRole } | { ok: false; code: "NOT_FOUND" | "FORBIDDEN" };

export interface MemberAccessInput {
  mandateExists: boolean;
  /** The person's membership role, null when they are no member. */
  membershipRole: MandateRole | null;
  isPlatformAdmin: boolean;
  minimumRole: MandateRole;
}

/**
 * Who may open a mandate. A non-member learns nothing, not even that the mandate exists
 * (NOT_FOUND, like an unknown id); a member below the required role gets FORBIDDEN. Platform
 * admins run the platform and act as OWNER everywhere.
 */
export function decideMemberAccess(input: MemberAccessInput): MemberAccess {
  if (!input.mandateExists) return { ok: false, code: "NOT_FOUND" };
  if (input.isPlatformAdmin) return { ok: true, role: "OWNER" };
  if (input.membershipRole === null) return { ok: false, code: "NOT_FOUND" };
  if (!roleSatisfies(input.membershipRole, input.minimumRole)) return { ok: false, code: "FORBIDDEN" };
  return { ok: true, role: input.membershipRole };
}
