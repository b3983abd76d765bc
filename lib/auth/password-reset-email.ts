import { prisma } from "@/lib/db/client";
import { passwordResetEmail } from "@/lib/email/messages/password-reset";
import { sendEmail } from "@/lib/email/send-email";
import type { PasswordResetEmailJob } from "./password-reset-job";
import { hashResetToken } from "./password-reset";

/**
 * The "password-reset-email" job: sends the link of one token, once (the dedupe key is the
 * token's row). A token that is gone (superseded by a newer request, or its user deleted), used or
 * expired gets no mail: its link would only say so.
 */
export async function sendPasswordResetEmail(job: PasswordResetEmailJob): Promise<void> {
  const row = await prisma.passwordResetToken.findUnique({
    where: { id: job.tokenId },
    select: { tokenHash: true, createdAt: true, expiresAt: true, usedAt: true, user: { select: { email: true } } },
  });
  if (!row || row.usedAt !== null || row.expiresAt.getTime() <= Date.now()) return;
  // A payload added by hand must not mail a link that opens another account's token.
  if (hashResetToken(job.token) !== row.tokenHash) throw new Error(`password-reset job ${job.tokenId}: token mismatch`);
  const validMinutes = Math.round((row.expiresAt.getTime() - row.createdAt.getTime()) / 60_000);
  await sendEmail({
    message: passwordResetEmail({
      locale: job.locale,
      email: row.user.email,
      origin: job.origin,
      token: job.token,
      validMinutes,
    }),
    to: [row.user.email],
    mandateId: null,
    dedupeKey: `password-reset:${job.tokenId}`,
  });
}
