import argon2 from "argon2";
import { prisma } from "@/lib/db/client";
import { normalizeEmail } from "@/lib/users/email-address";

export interface CreateUserOptions {
  email: string;
  name: string;
  password?: string;
  isPlatformAdmin?: boolean;
  locale?: "de" | "en";
}

/** argon2id with the library's defaults (OWASP-conformant memory and time cost). */
export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function createUser(opts: CreateUserOptions): Promise<{ userId: string }> {
  const user = await prisma.user.create({
    data: {
      email: normalizeEmail(opts.email),
      name: opts.name,
      passwordHash: opts.password ? await hashPassword(opts.password) : null,
      isPlatformAdmin: opts.isPlatformAdmin ?? false,
      locale: opts.locale ?? null,
    },
  });
  return { userId: user.id };
}
