import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import { RESOURCES } from "@/lib/i18n/resources";
import { escapeHtml, type RenderedEmail } from "./render-email";

/**
 * The password-reset link (lib/auth/password-reset.ts). An account message, not a mandate's: it
 * goes to one person, so it has its own greeting and footer, and its strings live with the other
 * sign-in strings in locales/<lng>/auth.json under `email.passwordReset`. As with the billing
 * messages, a key missing in the message's language throws instead of falling back.
 */
export interface PasswordResetEmailData {
  locale: Locale;
  /** The account's address, named in the message so a forwarded mail says whose it is. */
  email: string;
  /** The app's public origin, without a trailing slash. */
  origin: string;
  token: string;
  validMinutes: number;
}

const PREFIX = "email.passwordReset";

function translate(locale: Locale, key: string, values: Record<string, string | number>): string {
  let node: unknown = RESOURCES[locale].auth;
  for (const part of `${PREFIX}.${key}`.split(".")) {
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  if (typeof node !== "string") throw new Error(`missing translation auth:${PREFIX}.${key} (${locale})`);
  return getTranslator(locale, "auth")(`${PREFIX}.${key}`, values);
}

export function passwordResetLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, "")}/reset-password?token=${encodeURIComponent(token)}`;
}

export function passwordResetEmail(data: PasswordResetEmailData): RenderedEmail {
  const values = { email: data.email, minutes: data.validMinutes };
  const tr = (key: string) => translate(data.locale, key, values);
  const link = passwordResetLink(data.origin, data.token);
  const subject = tr("subject");
  const paragraphs = [tr("body"), tr("validity")];
  const after = [tr("notYou")];
  const greeting = tr("greeting");
  const linkLabel = tr("linkLabel");
  const footer = tr("footer");

  const text = [greeting, ...paragraphs, `${linkLabel}: ${link}`, ...after, "--", footer].join("\n\n");
  const html = [
    "<!doctype html>",
    `<html lang="${data.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a;">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(linkLabel)}</a></p>`,
    ...after.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<hr><p style="font-size: 0.85em; color: #555;">${escapeHtml(footer)}</p>`,
    "</body></html>",
  ].join("\n");

  return { kind: "password-reset", locale: data.locale, subject, text: `${text}\n`, html: `${html}\n`, secret: true };
}
