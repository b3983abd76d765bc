import type { MandateRole } from "@/lib/db/generated/enums";
import { roleSatisfies } from "@/lib/auth/roles";

/** Who looks at a mandate's dashboard; built from requireMember's context by the pages and routes. */
export interface DashboardViewer {
  mandateId: string;
  userId: string;
  role: MandateRole;
}

/**
 * Owners and admins see the pool account: the mandate's money. A MEMBER sees only what they
 * spent: their own user audit account, never the pool's balance or anyone else's usage. The
 * scope comes from the role alone, never from a request parameter, so no URL can widen it.
 */
export function seesPool(viewer: Pick<DashboardViewer, "role">): boolean {
  return roleSatisfies(viewer.role, "ADMIN");
}
