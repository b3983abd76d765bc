import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Locale } from "@/lib/i18n/config";
import { isLocale } from "@/lib/i18n/config";
import { enqueueJob } from "@/lib/jobs/queue";
import { hashPassword } from "@/lib/users/create-user";
import { normalizeEmail } from "@/lib/users/email-address";
import { newPassword } from "./password-reset-schemas";
import { admitPasswordResetRequest } from "./password-reset-throttle";
import { verifyCredentials } from "./verify-credentials";

/**
 * Password reset by e-mail and password change.
 *
 * A reset link carries 32 random bytes (base64url); the database keeps their SHA-256 only, so
 * whoever reads password_reset_token cannot use a link. A link works once (one conditional UPDATE
 * decides between concurrent uses) and only within PASSWORD_RESET_TTL_MINUTES (default 30). Every
 * existing account gets a link, also one without a password (invited, or signing in only through
 * OIDC): the link proves control of the mailbox, the same proof OIDC sign-in links accounts by,
 * and it is how an invited person sets a first password.
 */

const DEFAULT_TTL_MINUTES = 30;

/** PASSWORD_RESET_TTL_MINUTES, 5 to 1440; anything else falls back to 30. */
export function passwordResetTtlMinutes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.PASSWORD_RESET_TTL_MINUTES?.trim();
  if (!raw || !/^\d{1,4}$/.test(raw)) return DEFAULT_TTL_MINUTES;
  const minutes = Number.parseInt(raw, 10);
  return minutes >= 5 && minutes <= 1440 ? minutes : DEFAULT_TTL_MINUTES;
}

/** Hex SHA-256 of a link's token: what password_reset_token stores and is looked up by. */
export function hashResetToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface RequestPasswordResetOptions {
  email: string;
  /** The language of the page the request came from; the account's saved language wins. */
  locale: Locale;
  /** The app's public origin for the link (NEXTAUTH_URL), never taken from the request. */
  origin: string;
  /** Null when no trusted proxy vouches for one (lib/auth/client-address.ts). */
  clientAddress: string | null;
  now?: Date;
}

/**
 * `accepted` whether or not an account has the address, so the answer tells nobody which
 * addresses exist; the time differs by a look-up and two inserts, far below a network's jitter.
 * `throttled` depends on the requests made for the address and from the client, never on the
 * account.
 */
export type RequestPasswordResetResult = { status: "accepted" } | { status: "throttled" };

export async function requestPasswordReset(opts: RequestPasswordResetOptions): Promise<RequestPasswordResetResult> {
  const now = opts.now ?? new Date();
  const email = normalizeEmail(opts.email);
  if (!(await admitPasswordResetRequest({ email, clientAddress: opts.clientAddress, now }))) {
    return { status: "throttled" };
  }
  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, locale: true } });
  if (!user) return { status: "accepted" };

  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + passwordResetTtlMinutes() * 60_000);
  await prisma.$transaction(async (tx) => {
    // Only the newest link works: an older mail left in an inbox opens nothing.
    await tx.passwordResetToken.deleteMany({ where: { userId: user.id, usedAt: null } });
    const row = await tx.passwordResetToken.create({
      data: {
        userId: user.id,
        tokenHash: hashResetToken(token),
        createdAt: now,
        expiresAt,
        requestedFrom: opts.clientAddress,
      },
      select: { id: true },
    });
    // In the same transaction: the mail is queued exactly when its token exists.
    await enqueueJob(tx, "password-reset-email", {
      tokenId: row.id,
      token,
      locale: isLocale(user.locale) ? user.locale : opts.locale,
      origin: opts.origin,
    });
  });
  return { status: "accepted" };
}

export type ResetPasswordResult = { ok: true; email: string } | { ok: false; reason: "TOKEN_INVALID" };

/**
 * Sets the password of the link's account. An unknown, used, superseded or expired token is one
 * answer (TOKEN_INVALID). A new password that breaks the rule throws its ZodError before the
 * token is touched, so the person can correct it and use the same link.
 */
export async function resetPassword(token: string, password: string): Promise<ResetPasswordResult> {
  const tokenHash = hashResetToken(token);
  const found = await prisma.passwordResetToken.findUnique({
    where: { tokenHash },
    select: { usedAt: true, expiresAt: true, user: { select: { email: true } } },
  });
  // A first look, to check the password against the account's address; the UPDATE below decides.
  if (!found || found.usedAt !== null || found.expiresAt.getTime() <= Date.now()) {
    return { ok: false, reason: "TOKEN_INVALID" };
  }
  z.object({ password: newPassword(found.user.email) }).parse({ password });
  // Hashed before the transaction: argon2 takes a while and the token row stays unlocked meanwhile.
  const passwordHash = await hashPassword(password);

  return prisma.$transaction(async (tx): Promise<ResetPasswordResult> => {
    // The single use: of concurrent resets with one token, exactly one gets the row back.
    const [used] = await tx.$queryRaw<{ user_id: string }[]>`
      UPDATE password_reset_token SET used_at = now()
      WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now()
      RETURNING user_id::text`;
    if (!used) return { ok: false, reason: "TOKEN_INVALID" };
    const user = await tx.user.update({
      where: { id: used.user_id },
      // Whoever knew the old password is signed out everywhere.
      data: { passwordHash, sessionsValidFrom: new Date() },
      select: { email: true },
    });
    await tx.passwordResetToken.deleteMany({ where: { userId: used.user_id, usedAt: null } });
    // The mailbox proved the owner: earlier failed sign-ins no longer lock the account.
    await tx.signInAttempt.deleteMany({ where: { email: user.email } });
    return { ok: true, email: user.email };
  });
}

export interface ChangePasswordOptions {
  userId: string;
  currentPassword: string;
  newPassword: string;
  /** For the sign-in throttle the current password is checked against. */
  clientAddress: string | null;
}

export type ChangePasswordResult =
  { ok: true } | { ok: false; reason: "WRONG_PASSWORD" | "NO_PASSWORD" | "THROTTLED" | "NOT_FOUND" };

/**
 * A signed-in person's new password, given the current one. The current password is checked as
 * a sign-in is (the same throttle), so a session left open does not let anyone guess it. An
 * account without a password (invited, or OIDC only) gets NO_PASSWORD: it sets one through the
 * reset link instead.
 */
export async function changePassword(opts: ChangePasswordOptions): Promise<ChangePasswordResult> {
  const user = await prisma.user.findUnique({
    where: { id: opts.userId },
    select: { email: true, passwordHash: true },
  });
  if (!user) return { ok: false, reason: "NOT_FOUND" };
  if (user.passwordHash === null) return { ok: false, reason: "NO_PASSWORD" };
  z.object({ password: newPassword(user.email) }).parse({ password: opts.newPassword });

  const check = await verifyCredentials({
    email: user.email,
    password: opts.currentPassword,
    clientAddress: opts.clientAddress,
  });
  if (!check.ok) return { ok: false, reason: check.reason === "THROTTLED" ? "THROTTLED" : "WRONG_PASSWORD" };

  const passwordHash = await hashPassword(opts.newPassword);
  return prisma.$transaction(async (tx): Promise<ChangePasswordResult> => {
    // Only over the hash just verified: of two concurrent changes, the second finds it replaced.
    const { count } = await tx.user.updateMany({
      where: { id: opts.userId, passwordHash: user.passwordHash },
      // Other sessions end; the caller signs the current one in again.
      data: { passwordHash, sessionsValidFrom: new Date() },
    });
    if (count === 0) return { ok: false, reason: "WRONG_PASSWORD" };
    // A reset link asked for before the change would undo it.
    await tx.passwordResetToken.deleteMany({ where: { userId: opts.userId, usedAt: null } });
    return { ok: true };
  });
}

/**
 * Whether a link's token can still set a password, for the reset page to say so before anyone
 * types one. Only a hint: resetPassword decides again.
 */
export async function isResetTokenUsable(token: string): Promise<boolean> {
  const found = await prisma.passwordResetToken.findUnique({
    where: { tokenHash: hashResetToken(token) },
    select: { usedAt: true, expiresAt: true },
  });
  return found !== null && found.usedAt === null && found.expiresAt.getTime() > Date.now();
}

/** Whether the account signs in with a password (invited and OIDC-only accounts have none). */
export async function hasPassword(userId: string): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return user?.passwordHash != null;
}
