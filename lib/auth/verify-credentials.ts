import { randomBytes } from "node:crypto";
import argon2 from "argon2";
import { z } from "zod";
import { findUserForSignIn, type AppUser } from "@/lib/users/get-user";
import { hashPassword } from "@/lib/users/create-user";
import { beginSignInAttempt, recordSignInSuccess } from "./sign-in-throttle";

/** Bounds keep a hostile client from making the server hash megabytes of "password". */
const CredentialsInput = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export type CredentialsResult =
  { ok: true; user: AppUser } | { ok: false; reason: "INVALID_CREDENTIALS" | "THROTTLED" };

export interface VerifyCredentialsOptions {
  email: unknown;
  password: unknown;
  clientAddress: string | null;
  now?: Date;
}

export async function verifyCredentials(opts: VerifyCredentialsOptions): Promise<CredentialsResult> {
  const parsed = CredentialsInput.safeParse({ email: opts.email, password: opts.password });
  if (!parsed.success) return { ok: false, reason: "INVALID_CREDENTIALS" };
  const { email, password } = parsed.data;

  const ticket = await beginSignInAttempt({ email, clientAddress: opts.clientAddress, now: opts.now });
  if (!ticket.allowed) return { ok: false, reason: "THROTTLED" };

  const found = await findUserForSignIn(email);
  // Unknown e-mails (and users without a password, e.g. OIDC-only) still cost one argon2
  // verification, so response time does not tell which e-mails have accounts.
  const valid = await verifyPassword(found?.passwordHash ?? (await dummyHash()), password);
  if (!found?.passwordHash || !valid) return { ok: false, reason: "INVALID_CREDENTIALS" };

  await recordSignInSuccess(ticket.attemptId, email);
  const { passwordHash: _hash, ...user } = found;
  return { ok: true, user };
}

async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, never a 500 that reveals the account exists.
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** A hash with the real parameters, made once per process from a password nobody knows. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString("hex"));
  return dummy;
}
