import { prisma } from "@/lib/db/client";
import { RemoveMemberInput } from "./member-schemas";
import { assertNotLastOwner, findMembership, lockMandateMembers } from "./lock-mandate-members";

export interface RemoveMemberOptions {
  mandateId: string;
  removal: RemoveMemberInput;
}

/**
 * Ends a membership; the user stays (with their audit account and history). Removing the last
 * OWNER is refused (LAST_OWNER). Access ends on the person's next request, as requireMember
 * reads the membership every time.
 */
export async function removeMember(opts: RemoveMemberOptions): Promise<{ userId: string; email: string }> {
  const input = RemoveMemberInput.parse(opts.removal);
  return prisma.$transaction(async (tx) => {
    await lockMandateMembers(tx, opts.mandateId);
    const membership = await findMembership(tx, opts.mandateId, input.membershipId);
    if (membership.role === "OWNER") await assertNotLastOwner(tx, opts.mandateId);
    await tx.membership.delete({ where: { id: membership.id } });
    return { userId: membership.userId, email: membership.user.email };
  });
}
