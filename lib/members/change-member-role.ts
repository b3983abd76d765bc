import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { ChangeMemberRoleInput } from "./member-schemas";
import { assertNotLastOwner, findMembership, lockMandateMembers } from "./lock-mandate-members";

export interface ChangeMemberRoleOptions {
  mandateId: string;
  change: ChangeMemberRoleInput;
}

/**
 * Gives a member another role. Demoting the last OWNER is refused (LAST_OWNER). Takes effect on
 * the member's next request: requireMember reads the membership every time.
 */
export async function changeMemberRole(
  opts: ChangeMemberRoleOptions,
): Promise<{ role: MandateRole; changed: boolean }> {
  const input = ChangeMemberRoleInput.parse(opts.change);
  return prisma.$transaction(async (tx) => {
    await lockMandateMembers(tx, opts.mandateId);
    const membership = await findMembership(tx, opts.mandateId, input.membershipId);
    if (membership.role === input.role) return { role: input.role, changed: false };
    if (membership.role === "OWNER") await assertNotLastOwner(tx, opts.mandateId);
    await tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
    return { role: input.role, changed: true };
  });
}
