import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { verifyCredentials } from "./verify-credentials";

async function makeUser(password: string | undefined = "correct horse battery") {
  const email = `signin-${randomUUID()}@test.invalid`;
  const { userId } = await createUser({ email, name: "Sign In", password });
  return { email, userId };
}

const address = () => `192.0.2.${randomUUID()}`;

describe("verifyCredentials (argon2id against real users)", () => {
  it("signs in with the right password, whatever the e-mail's case and spacing", async () => {
    const { email, userId } = await makeUser();
    const result = await verifyCredentials({
      email: `  ${email.toUpperCase()} `,
      password: "correct horse battery",
      clientAddress: address(),
    });
    expect(result).toEqual({
      ok: true,
      user: { id: userId, email, name: "Sign In", isPlatformAdmin: false, locale: null, sessionsValidFrom: null },
    });
  });

  it("refuses a wrong password, an unknown e-mail and a password-less user with the same answer", async () => {
    const { email } = await makeUser();
    const { email: oidcOnly } = await makeUser(undefined);
    const refused = { ok: false, reason: "INVALID_CREDENTIALS" };
    expect(await verifyCredentials({ email, password: "wrong", clientAddress: address() })).toEqual(refused);
    expect(
      await verifyCredentials({
        email: `nobody-${randomUUID()}@test.invalid`,
        password: "x",
        clientAddress: address(),
      }),
    ).toEqual(refused);
    expect(await verifyCredentials({ email: oidcOnly, password: "", clientAddress: address() })).toEqual(refused);
    expect(await verifyCredentials({ email: oidcOnly, password: "anything", clientAddress: address() })).toEqual(
      refused,
    );
    expect(await verifyCredentials({ email: 42, password: null, clientAddress: address() })).toEqual(refused);
  });

  it("takes about as long for an unknown e-mail as for a wrong password (both run argon2)", async () => {
    const { email } = await makeUser();
    const time = async (e: string) => {
      const started = performance.now();
      await verifyCredentials({ email: e, password: "wrong password", clientAddress: address() });
      return performance.now() - started;
    };
    await time(`warm-${randomUUID()}@test.invalid`); // creates the dummy hash once
    const known = await time(email);
    const unknown = await time(`nobody-${randomUUID()}@test.invalid`);
    expect(unknown).toBeGreaterThan(known / 3);
  });

  it("throttles after five failures even with the right password, and a later success resets the count", async () => {
    const { email } = await makeUser();
    const clientAddress = address();
    const t0 = new Date("2026-03-02T08:00:00Z");
    for (let i = 0; i < 5; i++) {
      const r = await verifyCredentials({ email, password: "guess", clientAddress, now: new Date(t0.getTime() + i) });
      expect(r).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    }
    expect(
      await verifyCredentials({
        email,
        password: "correct horse battery",
        clientAddress,
        now: new Date(t0.getTime() + 10),
      }),
    ).toEqual({ ok: false, reason: "THROTTLED" });

    const later = new Date(t0.getTime() + 16 * 60 * 1000);
    const ok = await verifyCredentials({ email, password: "correct horse battery", clientAddress, now: later });
    expect(ok.ok).toBe(true);
    expect(await prisma.signInAttempt.count({ where: { email } })).toBe(0);
  });
});
