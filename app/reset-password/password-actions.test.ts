import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { hashResetToken } from "@/lib/auth/password-reset";
import { PASSWORD_RESET_THROTTLE } from "@/lib/auth/password-reset-throttle";
import { IDLE_FORM_STATE } from "@/lib/forms/form-state";
import { createUser } from "@/lib/users/create-user";
import { ownerPrisma } from "@/testing/owner-connection";
import { signIn } from "@/testing/signed-in-user";
import { changePasswordAction } from "../(dashboard)/account/actions";
import { requestPasswordResetAction } from "../forgot-password/actions";
import { resetPasswordAction } from "./actions";

/**
 * The three password forms' actions (forgot, reset, change): what each answers the form, field by
 * field. The domain's rules have their own tests (lib/auth/password-reset.test.ts); here, that
 * every outcome reaches the form as a code it translates. As in app/action-fuzz.test.ts, only the
 * request scope is stood in for (session, headers); the database is the real one.
 */
vi.mock("@/lib/auth/get-session-user", async () => ({
  getSessionUser: (await import("@/testing/signed-in-user")).signedInUser,
}));
vi.mock("next/headers", () => ({
  headers: () => Promise.resolve(new Headers()),
  cookies: () => Promise.resolve({ get: () => undefined, set: () => undefined }),
}));

const PASSWORD = "current-password-1234";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

async function freshUser(password: string | null = PASSWORD) {
  const email = `actions-${randomUUID()}@test.invalid`;
  const { userId } = await createUser({ email, name: "Action Test", ...(password ? { password } : {}) });
  return { userId, email };
}

/** A usable link's token for the user, planted (as the owner: app/ has no database) as requestPasswordReset stores it. */
async function plantToken(userId: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await ownerPrisma.passwordResetToken.create({
    data: { userId, tokenHash: hashResetToken(token), expiresAt: new Date(Date.now() + 600_000) },
  });
  return token;
}

const withoutTime = <T extends object>(state: T) => ({ ...state, at: undefined });

describe("the forgot-password action", () => {
  it("answers a known and an unknown address alike, and names a refused field", async () => {
    const { email } = await freshUser();
    const unknown = `nobody-${randomUUID()}@test.invalid`;
    const known = await requestPasswordResetAction(IDLE_FORM_STATE, form({ email }));
    const other = await requestPasswordResetAction(IDLE_FORM_STATE, form({ email: unknown }));
    expect(withoutTime(known)).toEqual({ ok: true, result: { email }, at: undefined });
    expect(withoutTime(other)).toEqual({ ok: true, result: { email: unknown }, at: undefined });

    const invalid = await requestPasswordResetAction(IDLE_FORM_STATE, form({ email: "no address" }));
    expect(invalid).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fields: { email: { code: "email" } } });
  });

  it("says at the e-mail field when the address had its requests for the hour", async () => {
    const email = `nobody-${randomUUID()}@test.invalid`;
    for (let i = 0; i < PASSWORD_RESET_THROTTLE.maxPerEmail; i++) {
      expect((await requestPasswordResetAction(IDLE_FORM_STATE, form({ email }))).ok).toBe(true);
    }
    expect(await requestPasswordResetAction(IDLE_FORM_STATE, form({ email }))).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      fields: { email: { code: "throttled" } },
      values: { email },
    });
  });
});

describe("the reset-password action", () => {
  it("refuses a foreign token, a mismatch and a rule breach at their fields, then sets the password", async () => {
    const { userId, email } = await freshUser();
    const token = await plantToken(userId);
    const send = (fields: Record<string, string>) => resetPasswordAction(IDLE_FORM_STATE, form(fields));
    const good = "a-brand-new-password";

    expect(await send({ token: "A".repeat(43), password: good, confirmation: good })).toMatchObject({
      ok: false,
      fields: { token: { code: "tokenInvalid" } },
    });
    expect(await send({ token, password: good, confirmation: `${good}!` })).toMatchObject({
      ok: false,
      fields: { confirmation: { code: "confirmationMismatch" } },
    });
    expect(await send({ token, password: "short", confirmation: "short" })).toMatchObject({
      ok: false,
      fields: { password: { code: "passwordTooShort" } },
    });
    expect(await send({ token, password: email, confirmation: email })).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      fields: { password: { code: "passwordIsEmail" } },
    });
    expect(await send({ token, password: good, confirmation: good })).toMatchObject({ ok: true });
    expect(await send({ token, password: good, confirmation: good })).toMatchObject({
      ok: false,
      fields: { token: { code: "tokenInvalid" } },
    });
  });
});

describe("the change-password action", () => {
  const fields = (currentPassword: string, password = "another-new-password") => ({
    currentPassword,
    password,
    confirmation: password,
  });

  it("is for signed-in people only", async () => {
    signIn(null);
    expect(await changePasswordAction(IDLE_FORM_STATE, form(fields(PASSWORD)))).toMatchObject({
      ok: false,
      code: "UNAUTHENTICATED",
    });
  });

  it("names a wrong current password and an account without one at the current-password field", async () => {
    const withPassword = await freshUser();
    signIn(withPassword.userId);
    expect(await changePasswordAction(IDLE_FORM_STATE, form(fields("wrong-password")))).toMatchObject({
      ok: false,
      fields: { currentPassword: { code: "currentPasswordWrong" } },
    });
    expect(await changePasswordAction(IDLE_FORM_STATE, form(fields(PASSWORD)))).toMatchObject({ ok: true });

    const invited = await freshUser(null);
    signIn(invited.userId);
    expect(await changePasswordAction(IDLE_FORM_STATE, form(fields("anything")))).toMatchObject({
      ok: false,
      fields: { currentPassword: { code: "noPassword" } },
    });
  });
});
