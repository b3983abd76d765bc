import { prisma } from "@/lib/db/client";
import { isUuid } from "@/lib/ids/uuid";
import { normalizeEmail } from "@/lib/users/email-address";

/** What the app needs of the signed-in person; never the password hash. */
export interface AppUser {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  locale: string | null;
  /** Sessions signed in before this are over (a password change or reset); null: none ended. */
  sessionsValidFrom: Date | null;
}

export const APP_USER_FIELDS = {
  id: true,
  email: true,
  name: true,
  isPlatformAdmin: true,
  locale: true,
  sessionsValidFrom: true,
} as const;

export async function getUser(userId: string): Promise<AppUser | null> {
  if (!isUuid(userId)) return null;
  return prisma.user.findUnique({ where: { id: userId }, select: APP_USER_FIELDS });
}

export async function findUserForSignIn(email: string): Promise<(AppUser & { passwordHash: string | null }) | null> {
  return prisma.user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { ...APP_USER_FIELDS, passwordHash: true },
  });
}
