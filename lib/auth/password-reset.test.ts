import { randomUUID } from "node:crypto";
import argon2 from "argon2";
import { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { pgPool } from "@/lib/db/pg-pool";
import { createUser } from "@/lib/users/create-user";
import { getUser } from "@/lib/users/get-user";
import { sessionStillValid } from "./get-session-user";
import { sendPasswordResetEmail } from "./password-reset-email";
import { passwordResetEmailJob, type PasswordResetEmailJob } from "./password-reset-job";
import {
  changePassword,
  hasPassword,
  hashResetToken,
  isResetTokenUsable,
  passwordResetTtlMinutes,
  requestPasswordReset,
  resetPassword,
} from "./password-reset";
import { PASSWORD_RESET_THROTTLE } from "./password-reset-throttle";
import { verifyCredentials } from "./verify-credentials";

const ORIGIN = "https://billing.example.ch";
const OLD_PASSWORD = "old-password-1234";
const NEW_PASSWORD = "brand-new-password-5678";

// Unique e-mails and client addresses per test: test files run in parallel on one database.
async function freshUser(opts: { password?: string | null } = {}) {
  const email = `reset-${randomUUID()}@test.invalid`;
  const password = opts.password === undefined ? OLD_PASSWORD : opts.password;
  const { userId } = await createUser({ email, name: "Reset Test", ...(password ? { password } : {}) });
  return { userId, email };
}
const freshClient = () => `10.${randomUUID()}`;

async function request(email: string, opts: { clientAddress?: string | null; now?: Date } = {}) {
  return requestPasswordReset({
    email,
    locale: "en",
    origin: ORIGIN,
    clientAddress: opts.clientAddress === undefined ? freshClient() : opts.clientAddress,
    now: opts.now,
  });
}

async function tokensOf(userId: string) {
  return prisma.passwordResetToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

/**
 * The queued e-mail job of a token. The job is the only holder of the raw token; a worker of
 * another test file may have sent it meanwhile, and then the outbox's link has it.
 */
async function jobOf(tokenId: string): Promise<PasswordResetEmailJob> {
  const { rows } = await pgPool.query<{ payload: unknown }>(
    `SELECT j.payload FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'password-reset-email' AND j.payload->>'tokenId' = $1`,
    [tokenId],
  );
  if (rows[0]) return passwordResetEmailJob.parse(rows[0].payload);
  const sent = await prisma.emailOutbox.findUniqueOrThrow({ where: { dedupeKey: `password-reset:${tokenId}` } });
  const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(sent.textBody)?.[1];
  return { tokenId, token: token!, locale: "en", origin: ORIGIN };
}

async function latestToken(userId: string): Promise<string> {
  const tokens = await tokensOf(userId);
  return (await jobOf(tokens.at(-1)!.id)).token;
}

async function passwordHashOf(userId: string): Promise<string | null> {
  return (await prisma.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash;
}

async function signsIn(email: string, password: string): Promise<boolean> {
  return (await verifyCredentials({ email, password, clientAddress: null })).ok;
}

describe("requesting a reset", () => {
  it("answers an unknown address as a known one, and stores no token and sends no mail for it", async () => {
    const known = await freshUser();
    const unknown = `nobody-${randomUUID()}@test.invalid`;
    const tokensBefore = await prisma.passwordResetToken.count();

    expect(await request(unknown)).toEqual({ status: "accepted" });
    expect(await prisma.passwordResetToken.count()).toBe(tokensBefore);
    expect(await prisma.emailOutbox.count({ where: { toAddresses: { has: unknown } } })).toBe(0);

    expect(await request(known.email)).toEqual({ status: "accepted" });
    expect(await tokensOf(known.userId)).toHaveLength(1);
  });

  it("stores only the token's SHA-256, valid for the configured minutes, and queues its mail", async () => {
    const { userId, email } = await freshUser();
    const now = new Date();
    await request(email.toUpperCase(), { now });
    const [row] = await tokensOf(userId);
    const job = await jobOf(row!.id);

    expect(job.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(row!.tokenHash).toBe(hashResetToken(job.token));
    expect(row!.tokenHash).not.toContain(job.token);
    const { rows } = await pgPool.query("SELECT 1 FROM password_reset_token WHERE token_hash = $1", [job.token]);
    expect(rows).toHaveLength(0);
    expect(row!.expiresAt.getTime() - now.getTime()).toBe(passwordResetTtlMinutes() * 60_000);
    expect(job).toMatchObject({ locale: "en", origin: ORIGIN });
  });

  it("mails the link once per token, in the account's language", async () => {
    const { userId, email } = await freshUser();
    await prisma.user.update({ where: { id: userId }, data: { locale: "de" } });
    await request(email);
    const [row] = await tokensOf(userId);
    const job = await jobOf(row!.id);
    expect(job.locale).toBe("de");

    await sendPasswordResetEmail(job);
    await sendPasswordResetEmail(job); // a retried job
    const sent = await prisma.emailOutbox.findMany({ where: { toAddresses: { has: email } } });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.kind).toBe("password-reset");
    expect(sent[0]!.mandateId).toBeNull();
    expect(sent[0]!.textBody).toContain(`${ORIGIN}/reset-password?token=${job.token}`);
    expect(sent[0]!.textBody).toContain(`${passwordResetTtlMinutes()} Minuten`);
  });

  it("a new request invalidates the older link; its mail, if still queued, is not sent", async () => {
    const { userId, email } = await freshUser();
    await request(email);
    const first = await jobOf((await tokensOf(userId))[0]!.id);
    await request(email);
    const second = await latestToken(userId);
    expect(await tokensOf(userId)).toHaveLength(1);

    await sendPasswordResetEmail(first);
    expect(await prisma.emailOutbox.count({ where: { dedupeKey: `password-reset:${first.tokenId}` } })).toBe(0);
    expect(await resetPassword(first.token, NEW_PASSWORD)).toEqual({ ok: false, reason: "TOKEN_INVALID" });
    expect(await resetPassword(second, NEW_PASSWORD)).toEqual({ ok: true, email });
  });

  it(`allows ${PASSWORD_RESET_THROTTLE.maxPerEmail} requests per address in an hour, known or not`, async () => {
    const { userId, email } = await freshUser();
    const unknown = `nobody-${randomUUID()}@test.invalid`;
    const t0 = new Date();
    for (const address of [email, unknown]) {
      for (let i = 0; i < PASSWORD_RESET_THROTTLE.maxPerEmail; i++) {
        expect(await request(address, { now: new Date(t0.getTime() + i) })).toEqual({ status: "accepted" });
      }
      expect(await request(address, { now: new Date(t0.getTime() + 10) })).toEqual({ status: "throttled" });
    }
    // The refused request made no token: the last link sent still works.
    expect(await tokensOf(userId)).toHaveLength(1);
    const later = new Date(t0.getTime() + PASSWORD_RESET_THROTTLE.windowMs + 1);
    expect(await request(email, { now: later })).toEqual({ status: "accepted" });
  });

  it(`allows ${PASSWORD_RESET_THROTTLE.maxPerAddress} requests per client in an hour, across addresses`, async () => {
    const client = freshClient();
    const now = new Date();
    for (let i = 0; i < PASSWORD_RESET_THROTTLE.maxPerAddress; i++) {
      const email = `probe-${randomUUID()}@test.invalid`;
      expect(await request(email, { clientAddress: client, now })).toEqual({ status: "accepted" });
    }
    const next = `probe-${randomUUID()}@test.invalid`;
    expect(await request(next, { clientAddress: client, now })).toEqual({ status: "throttled" });
    expect(await request(next, { clientAddress: freshClient(), now })).toEqual({ status: "accepted" });
  });
});

describe("resetting the password", () => {
  it("sets the new password once; the old one and the used link stop working", async () => {
    const { userId, email } = await freshUser();
    await request(email);
    const token = await latestToken(userId);
    expect(await isResetTokenUsable(token)).toBe(true);

    expect(await resetPassword(token, NEW_PASSWORD)).toEqual({ ok: true, email });
    expect(await isResetTokenUsable(token)).toBe(false);
    expect(await signsIn(email, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(email, OLD_PASSWORD)).toBe(false);
    expect(await resetPassword(token, "yet-another-password-9")).toEqual({ ok: false, reason: "TOKEN_INVALID" });
    expect(await signsIn(email, NEW_PASSWORD)).toBe(true);
    expect((await tokensOf(userId))[0]!.usedAt).not.toBeNull();
  });

  it("of two concurrent resets with one link, exactly one succeeds", async () => {
    const { userId, email } = await freshUser();
    await request(email);
    const token = await latestToken(userId);

    const results = await Promise.all([
      resetPassword(token, "first-concurrent-pass"),
      resetPassword(token, "second-concurrent-pass"),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "TOKEN_INVALID" }]);
    const winner = results[0]!.ok ? "first-concurrent-pass" : "second-concurrent-pass";
    expect(await argon2.verify((await passwordHashOf(userId))!, winner)).toBe(true);
  });

  it("refuses an expired link and leaves the password as it was", async () => {
    const { userId, email } = await freshUser();
    const longAgo = new Date(Date.now() - (passwordResetTtlMinutes() + 1) * 60_000);
    await request(email, { now: longAgo });
    const token = await latestToken(userId);
    const before = await passwordHashOf(userId);

    expect(await isResetTokenUsable(token)).toBe(false);
    expect(await resetPassword(token, NEW_PASSWORD)).toEqual({ ok: false, reason: "TOKEN_INVALID" });
    expect(await passwordHashOf(userId)).toBe(before);
    expect((await tokensOf(userId))[0]!.usedAt).toBeNull();
  });

  it("refuses an unknown token", async () => {
    expect(await resetPassword("A".repeat(43), NEW_PASSWORD)).toEqual({ ok: false, reason: "TOKEN_INVALID" });
  });

  it("refuses a password that breaks the rule without using up the link", async () => {
    const { userId, email } = await freshUser();
    await request(email);
    const token = await latestToken(userId);

    await expect(resetPassword(token, "short")).rejects.toBeInstanceOf(ZodError);
    await expect(resetPassword(token, email.toUpperCase())).rejects.toThrow(/passwordIsEmail/);
    expect(await signsIn(email, OLD_PASSWORD)).toBe(true);
    expect(await resetPassword(token, NEW_PASSWORD)).toEqual({ ok: true, email });
  });

  it("lets an account without a password (invited, or OIDC only) set its first one", async () => {
    const { userId, email } = await freshUser({ password: null });
    expect(await hasPassword(userId)).toBe(false);
    await request(email);
    expect(await resetPassword(await latestToken(userId), NEW_PASSWORD)).toEqual({ ok: true, email });
    expect(await signsIn(email, NEW_PASSWORD)).toBe(true);
    expect(await hasPassword(userId)).toBe(true);
  });
});

describe("changing the password", () => {
  it("refuses a wrong current password and changes nothing", async () => {
    const { userId, email } = await freshUser();
    const before = await passwordHashOf(userId);
    const result = await changePassword({
      userId,
      currentPassword: "not-the-password",
      newPassword: NEW_PASSWORD,
      clientAddress: null,
    });
    expect(result).toEqual({ ok: false, reason: "WRONG_PASSWORD" });
    expect(await passwordHashOf(userId)).toBe(before);
    expect(await signsIn(email, OLD_PASSWORD)).toBe(true);
  });

  it("changes it with the right current password and invalidates a pending reset link", async () => {
    const { userId, email } = await freshUser();
    await request(email);
    const token = await latestToken(userId);

    const result = await changePassword({
      userId,
      currentPassword: OLD_PASSWORD,
      newPassword: NEW_PASSWORD,
      clientAddress: null,
    });
    expect(result).toEqual({ ok: true });
    expect(await signsIn(email, NEW_PASSWORD)).toBe(true);
    expect(await signsIn(email, OLD_PASSWORD)).toBe(false);
    expect(await resetPassword(token, "reset-after-change-1")).toEqual({ ok: false, reason: "TOKEN_INVALID" });
  });

  it("ends the sessions signed in before a change or a reset, and only those", async () => {
    const { userId, email } = await freshUser();
    const signedInBefore = Date.now() - 1;
    const untouched = await getUser(userId);
    expect(untouched?.sessionsValidFrom).toBeNull();
    expect(sessionStillValid(signedInBefore, untouched!)).toBe(true);

    await changePassword({ userId, currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD, clientAddress: null });
    const changed = await getUser(userId);
    expect(sessionStillValid(signedInBefore, changed!)).toBe(false);
    expect(sessionStillValid(Date.now(), changed!)).toBe(true);

    const signedInBetween = Date.now();
    await request(email);
    await resetPassword(await latestToken(userId), "reset-after-change-2");
    const reset = await getUser(userId);
    expect(reset!.sessionsValidFrom!.getTime()).toBeGreaterThanOrEqual(changed!.sessionsValidFrom!.getTime());
    expect(sessionStillValid(signedInBetween - 1, reset!)).toBe(false);
  });

  it("tells an account without a password that it has none, and checks the new one by the same rule", async () => {
    const invited = await freshUser({ password: null });
    expect(
      await changePassword({
        userId: invited.userId,
        currentPassword: "anything",
        newPassword: NEW_PASSWORD,
        clientAddress: null,
      }),
    ).toEqual({ ok: false, reason: "NO_PASSWORD" });

    const { userId, email } = await freshUser();
    await expect(
      changePassword({ userId, currentPassword: OLD_PASSWORD, newPassword: email, clientAddress: null }),
    ).rejects.toThrow(/passwordIsEmail/);
    expect(await signsIn(email, OLD_PASSWORD)).toBe(true);
  });
});
