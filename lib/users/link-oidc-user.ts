import { prisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { APP_USER_FIELDS, type AppUser } from "./get-user";
import { normalizeEmail } from "@/lib/users/email-address";

export interface LinkOidcUserOptions {
  email: string;
  name?: string | null;
}

/**
 * The user an OpenID Connect sign-in stands for: the existing user with that e-mail, or a new
 * one without password (and without memberships: access to a mandate is still granted by its
 * owner). Linking by e-mail trusts the configured issuer to have verified the address; the
 * caller refuses identities whose issuer says it did not.
 */
export async function linkOidcUser(opts: LinkOidcUserOptions): Promise<AppUser> {
  const email = normalizeEmail(opts.email);
  const existing = await prisma.user.findUnique({ where: { email }, select: APP_USER_FIELDS });
  if (existing) return existing;
  try {
    return await prisma.user.create({ data: { email, name: opts.name?.trim() || email }, select: APP_USER_FIELDS });
  } catch (err) {
    // Two first sign-ins raced (Prisma's upsert is no atomic INSERT … ON CONFLICT here): the other one created it.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return prisma.user.findUniqueOrThrow({ where: { email }, select: APP_USER_FIELDS });
    }
    throw err;
  }
}
