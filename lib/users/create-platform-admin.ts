import { z } from "zod";
import { Prisma } from "@/lib/db/generated/client";
import { DomainError, zodDetails } from "@/lib/errors";
import { createUser } from "@/lib/users/create-user";
import { emailAddress } from "@/lib/users/email-address";

/**
 * The first platform admin of a deployment (`npm run admin:create`), with a password the operator
 * chooses: the demo seed's published ones never reach a deployment's database. An existing
 * e-mail is refused, never overwritten, so the command cannot take over someone's account.
 */
export const MIN_ADMIN_PASSWORD_LENGTH = 12;

const PlatformAdminInput = z.object({
  email: emailAddress("email"),
  name: z.string().trim().min(1, { error: "name" }).max(200, { error: "name" }),
  password: z
    .string()
    .min(MIN_ADMIN_PASSWORD_LENGTH, { error: `password: at least ${MIN_ADMIN_PASSWORD_LENGTH} characters` })
    .max(1024, { error: "password: at most 1024 characters" }),
});

export async function createPlatformAdmin(opts: {
  email: string;
  name: string;
  password: string;
}): Promise<{ userId: string; email: string }> {
  const parsed = PlatformAdminInput.safeParse(opts);
  if (!parsed.success) {
    throw new DomainError("VALIDATION_FAILED", "invalid platform admin", zodDetails(parsed.error));
  }
  const { email, name, password } = parsed.data;
  try {
    const { userId } = await createUser({ email, name, password, isPlatformAdmin: true });
    return { userId, email };
  } catch (err) {
    // The unique index on user.email decides, so two concurrent runs cannot both create it.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new DomainError(
        "VALIDATION_FAILED",
        `a user with the e-mail ${email} already exists; nothing was changed (choose another e-mail)`,
        [{ path: "email", message: "exists" }],
      );
    }
    throw err;
  }
}
