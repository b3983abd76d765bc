import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { beginSignInAttempt, recordSignInSuccess, SIGN_IN_THROTTLE } from "./sign-in-throttle";

// Unique e-mails and addresses per test: files run in parallel on one database.
const fresh = () => ({ email: `throttle-${randomUUID()}@test.invalid`, clientAddress: `10.${randomUUID()}` });
const T0 = new Date("2026-03-01T10:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

async function fail(email: string, clientAddress: string | null, now: Date): Promise<boolean> {
  const ticket = await beginSignInAttempt({ email, clientAddress, now });
  return ticket.allowed; // the row stays: a failed attempt
}

describe("sign-in throttle", () => {
  it("allows five failures per e-mail in the window, refuses the sixth, from any address", async () => {
    const { email } = fresh();
    for (let i = 0; i < SIGN_IN_THROTTLE.maxFailuresPerEmail; i++) {
      expect(await fail(email, `addr-${randomUUID()}`, at(i * 1000))).toBe(true);
    }
    expect(await fail(email, `addr-${randomUUID()}`, at(10_000))).toBe(false);
    // Upper-case spelling is the same account.
    expect(await fail(email.toUpperCase(), `addr-${randomUUID()}`, at(11_000))).toBe(false);
    expect(await prisma.signInAttempt.count({ where: { email } })).toBe(5);
  });

  it("lets the account in again once the oldest failures leave the 15-minute window", async () => {
    const { email, clientAddress } = fresh();
    for (let i = 0; i < 5; i++) await fail(email, clientAddress, at(i * 60_000));
    expect(await fail(email, clientAddress, at(SIGN_IN_THROTTLE.windowMs - 1))).toBe(false);
    // The first failure (at T0) is out of the window one millisecond after it closes.
    expect(await fail(email, clientAddress, at(SIGN_IN_THROTTLE.windowMs + 1))).toBe(true);
  });

  it("does not count refused attempts: hammering a locked account does not extend the lock", async () => {
    const { email, clientAddress } = fresh();
    for (let i = 0; i < 5; i++) await fail(email, clientAddress, at(0));
    for (let i = 1; i <= 10; i++) expect(await fail(email, clientAddress, at(i * 60_000))).toBe(false);
    expect(await fail(email, clientAddress, at(SIGN_IN_THROTTLE.windowMs + 1))).toBe(true);
  });

  it("allows twenty failures per client address across e-mails, refuses the twenty-first", async () => {
    const { clientAddress } = fresh();
    for (let i = 0; i < SIGN_IN_THROTTLE.maxFailuresPerAddress; i++) {
      expect(await fail(`guess-${randomUUID()}@test.invalid`, clientAddress, at(i))).toBe(true);
    }
    expect(await fail(`guess-${randomUUID()}@test.invalid`, clientAddress, at(100))).toBe(false);
    expect(await fail(`guess-${randomUUID()}@test.invalid`, `other-${randomUUID()}`, at(100))).toBe(true);
  });

  it("without a trusted address applies only the per-e-mail limit: nobody can lock everyone out", async () => {
    for (let i = 0; i < SIGN_IN_THROTTLE.maxFailuresPerAddress + 5; i++) {
      expect(await fail(`anyone-${randomUUID()}@test.invalid`, null, at(i))).toBe(true);
    }
    const { email } = fresh();
    for (let i = 0; i < SIGN_IN_THROTTLE.maxFailuresPerEmail; i++)
      expect(await fail(email, null, at(50 + i))).toBe(true);
    expect(await fail(email, null, at(60))).toBe(false);
  });

  it("clears the account's failures on success, but not the address's other failures", async () => {
    const { email, clientAddress } = fresh();
    for (let i = 0; i < 3; i++) await fail(`other-${randomUUID()}@test.invalid`, clientAddress, at(i));
    for (let i = 0; i < 4; i++) await fail(email, clientAddress, at(10 + i));
    const ticket = await beginSignInAttempt({ email, clientAddress, now: at(20) });
    if (!ticket.allowed) throw new Error("fifth attempt should be allowed");
    await recordSignInSuccess(ticket.attemptId, email);
    expect(await prisma.signInAttempt.count({ where: { email } })).toBe(0);
    expect(await prisma.signInAttempt.count({ where: { clientAddress } })).toBe(3);
    // The account has its full budget again.
    for (let i = 0; i < 5; i++) expect(await fail(email, clientAddress, at(30 + i))).toBe(true);
    expect(await fail(email, clientAddress, at(40))).toBe(false);
  });

  it("never lets parallel guesses past the limit", async () => {
    const { email } = fresh();
    const tickets = await Promise.all(
      Array.from({ length: 15 }, () => beginSignInAttempt({ email, clientAddress: `p-${randomUUID()}`, now: at(0) })),
    );
    expect(tickets.filter((t) => t.allowed).length).toBeLessThanOrEqual(SIGN_IN_THROTTLE.maxFailuresPerEmail);
    expect(await prisma.signInAttempt.count({ where: { email } })).toBeLessThanOrEqual(5);
  });
});
