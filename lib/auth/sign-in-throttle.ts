import { prisma } from "@/lib/db/client";
import { normalizeEmail } from "@/lib/users/email-address";

/**
 * Password-guessing throttle, kept in PostgreSQL so it holds across restarts and app instances.
 *
 * An attempt is recorded *before* its password is checked and counted together with the
 * failures of the window, so parallel guesses cannot slip past the limit between a check and a
 * write. A failed attempt's row stays as the failure record; a successful one removes its row and
 * the account's failures (the right password proves the owner, who should not stay locked out).
 * Address failures are not cleared by a success: one known account must not reset a guesser's
 * budget for all others.
 */
export const SIGN_IN_THROTTLE = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerEmail: 5,
  maxFailuresPerAddress: 20,
} as const;

/** Stored for attempts without a trusted address; never counted as an address. */
const UNKNOWN_ADDRESS = "unknown";

/** Rows older than this are purged; far beyond any window, so clocks need not agree exactly. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface SignInAttemptInput {
  email: string;
  /** Null when no trusted proxy vouches for one (lib/auth/client-address.ts): no per-address limit. */
  clientAddress: string | null;
  now?: Date;
}

export type SignInAttemptTicket = { allowed: true; attemptId: string } | { allowed: false };

export async function beginSignInAttempt(input: SignInAttemptInput): Promise<SignInAttemptTicket> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  const windowStart = new Date(now.getTime() - SIGN_IN_THROTTLE.windowMs);
  await prisma.signInAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - RETENTION_MS) } } });

  const attempt = await prisma.signInAttempt.create({
    data: { email, clientAddress: input.clientAddress ?? UNKNOWN_ADDRESS, createdAt: now },
    select: { id: true },
  });
  const [byEmail, byAddress] = await Promise.all([
    prisma.signInAttempt.count({ where: { email, createdAt: { gte: windowStart, lte: now } } }),
    input.clientAddress === null
      ? 0
      : prisma.signInAttempt.count({
          where: { clientAddress: input.clientAddress, createdAt: { gte: windowStart, lte: now } },
        }),
  ]);
  // Both counts include this attempt, hence `>`: the sixth try after five failures is refused.
  if (byEmail > SIGN_IN_THROTTLE.maxFailuresPerEmail || byAddress > SIGN_IN_THROTTLE.maxFailuresPerAddress) {
    // A refused attempt is not a failure: it must not extend the lock-out on its own.
    await prisma.signInAttempt.delete({ where: { id: attempt.id } });
    return { allowed: false };
  }
  return { allowed: true, attemptId: attempt.id };
}

export async function recordSignInSuccess(attemptId: string, email: string): Promise<void> {
  await prisma.signInAttempt.deleteMany({ where: { OR: [{ id: attemptId }, { email: normalizeEmail(email) }] } });
}
