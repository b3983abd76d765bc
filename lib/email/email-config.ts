/**
 * Where e-mail goes, read at each send so a test (or an operator restarting with new settings)
 * changes it without a new module: SMTP_URL (e.g. smtp://user:pass@mail.example.ch:587) sends
 * through that server; without it messages land only in the outbox (email_outbox), which platform
 * admins read at /admin/outbox.
 */
export const DEFAULT_EMAIL_FROM = "AI Billing <billing@localhost>";

export function smtpUrl(): string | undefined {
  const url = process.env.SMTP_URL?.trim();
  return url ? url : undefined;
}

export function emailFrom(): string {
  return process.env.EMAIL_FROM?.trim() || DEFAULT_EMAIL_FROM;
}

/** The app's public origin for links in e-mails (NEXTAUTH_URL, as for sign-in), without a trailing slash. */
export function appOrigin(): string {
  const url = process.env.NEXTAUTH_URL?.trim() || "http://localhost:3000";
  return new URL(url).origin;
}
