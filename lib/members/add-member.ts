import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { AddMemberInput } from "./member-schemas";
import { lockMandateMembers } from "./lock-mandate-members";

export interface AddMemberOptions {
  mandateId: string;
  member: AddMemberInput;
}

export interface AddedMember {
  membershipId: string;
  userId: string;
  email: string;
  /** True when no user had this e-mail: one was created without password (to be given a password or SSO). */
  invited: boolean;
}

/**
 * Adds a person to a mandate by e-mail: the existing user with that e-mail, or a new one
 * without password (an invitation; no e-mail is sent yet). ALREADY_MEMBER if they are one.
 */
export async function addMember(opts: AddMemberOptions): Promise<AddedMember> {
  const input = AddMemberInput.parse(opts.member);
  // One retry: a concurrent add of the same new e-mail to another mandate may create the user
  // between our lookup and insert (the unique e-mail refuses ours); the retry then finds it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        await lockMandateMembers(tx, opts.mandateId);
        const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
        const user =
          existing ?? (await tx.user.create({ data: { email: input.email, name: input.name ?? input.email } }));
        if (existing) {
          const membership = await tx.membership.findUnique({
            where: { mandateId_userId: { mandateId: opts.mandateId, userId: existing.id } },
            select: { id: true },
          });
          if (membership) throw new DomainError("ALREADY_MEMBER", "user is already a member of this mandate");
        }
        const membership = await tx.membership.create({
          data: { mandateId: opts.mandateId, userId: user.id, role: input.role },
        });
        return { membershipId: membership.id, userId: user.id, email: input.email, invited: !existing };
      });
    } catch (err) {
      const raced = err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
      if (!raced || attempt >= 2) throw err;
    }
  }
}
