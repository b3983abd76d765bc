import { prisma } from "@/lib/db/client";
import { normalizeEmail } from "@/lib/users/email-address";

/**
 * Throttle of password-reset requests, kept in PostgreSQL like the sign-in throttle
 * (./sign-in-throttle.ts) and built the same way: a request is recorded before it is counted, so
 * parallel requests cannot slip past the limit between a check and a write, and a refused one is
 * removed again, so hammering does not extend the wait. Every request counts, for a known address
 * or not: the limit says nothing about which addresses have accounts. It keeps a mailbox from
 * being flooded with links and a client from probing addresses in bulk.
 */
export const PASSWORD_RESET_THROTTLE = {
  windowMs: 60 * 60 * 1000,
  maxPerEmail: 3,
  maxPerAddress: 10,
} as const;

/** Stored for requests without a trusted address; never counted as an address. */
const UNKNOWN_ADDRESS = "unknown";

/** Rows older than this are purged; far beyond the window, so clocks need not agree exactly. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface PasswordResetRequestInput {
  email: string;
  /** Null when no trusted proxy vouches for one (lib/auth/client-address.ts): no per-address limit. */
  clientAddress: string | null;
  now: Date;
}

/** Records the request; false when it is over a limit (and then leaves no row). */
export async function admitPasswordResetRequest(input: PasswordResetRequestInput): Promise<boolean> {
  const email = normalizeEmail(input.email);
  const { now } = input;
  const windowStart = new Date(now.getTime() - PASSWORD_RESET_THROTTLE.windowMs);
  await prisma.passwordResetRequest.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - RETENTION_MS) } },
  });

  const request = await prisma.passwordResetRequest.create({
    data: { email, clientAddress: input.clientAddress ?? UNKNOWN_ADDRESS, createdAt: now },
    select: { id: true },
  });
  const [byEmail, byAddress] = await Promise.all([
    prisma.passwordResetRequest.count({ where: { email, createdAt: { gte: windowStart, lte: now } } }),
    input.clientAddress === null
      ? 0
      : prisma.passwordResetRequest.count({
          where: { clientAddress: input.clientAddress, createdAt: { gte: windowStart, lte: now } },
        }),
  ]);
  // Both counts include this request, hence `>`.
  if (byEmail > PASSWORD_RESET_THROTTLE.maxPerEmail || byAddress > PASSWORD_RESET_THROTTLE.maxPerAddress) {
    await prisma.passwordResetRequest.delete({ where: { id: request.id } });
    return false;
  }
  return true;
}
