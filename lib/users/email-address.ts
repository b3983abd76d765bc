import { z } from "zod";

/**
 * E-mail addresses are stored trimmed and lower-cased, so "A@x.ch" and "a@x.ch" are one mailbox
 * (one user, one throttle bucket, one notification recipient). Every write and every look-up
 * goes through this rule. Safe in the browser: forms use the schema too.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** At most 254 characters, the longest address SMTP can deliver to (RFC 5321). */
export const MAX_EMAIL_LENGTH = 254;

/** An e-mail address field, normalised before it is checked; `error` is the form's message code. */
export function emailAddress(error = "email") {
  return z.string({ error }).transform(normalizeEmail).pipe(z.email({ error }).max(MAX_EMAIL_LENGTH, { error }));
}
