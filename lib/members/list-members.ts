import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { isUuid } from "@/lib/ids/uuid";

export interface MemberView {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: MandateRole;
  /** ISO timestamp the membership was created. */
  since: string;
  /** False for invited users (and SSO-only users): they cannot sign in with a password yet. */
  hasPassword: boolean;
}

/** The mandate's members: owners first (enum order), then by name. */
export async function listMembers(mandateId: string): Promise<MemberView[]> {
  if (!isUuid(mandateId)) return [];
  const rows = await prisma.membership.findMany({
    where: { mandateId },
    orderBy: [{ role: "asc" }, { user: { name: "asc" } }, { user: { email: "asc" } }],
    select: {
      id: true,
      role: true,
      createdAt: true,
      user: { select: { id: true, name: true, email: true, passwordHash: true } },
    },
  });
  return rows.map((row) => ({
    membershipId: row.id,
    userId: row.user.id,
    name: row.user.name,
    email: row.user.email,
    role: row.role,
    since: row.createdAt.toISOString(),
    hasPassword: row.user.passwordHash !== null,
  }));
}
