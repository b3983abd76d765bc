import { z } from "zod";
import { LOCALES } from "@/lib/i18n/config";

/**
 * The payload of a "password-reset-email" job, queued with its token (lib/auth/password-reset.ts).
 * It carries the token itself, which the database keeps only hashed: the job is the one place the
 * e-mail can get it from. graphile-worker deletes a job once it succeeded, and the job sends
 * nothing once the token is used, superseded or expired.
 */
export const passwordResetEmailJob = z.object({
  tokenId: z.uuid(),
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  locale: z.enum(LOCALES),
  /** The app's public origin the link points to (never a request's Host header). */
  origin: z.url({ protocol: /^https?$/ }),
});

export type PasswordResetEmailJob = z.infer<typeof passwordResetEmailJob>;
