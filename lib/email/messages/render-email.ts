import type { Locale } from "@/lib/i18n/config";
import { getTranslator } from "@/lib/i18n/get-translator";
import { RESOURCES } from "@/lib/i18n/resources";
import { formatMoney } from "@/lib/money/format";
import { cardLabel, type CardFacts } from "@/lib/payments/card-label";
import { appOrigin } from "../email-config";

/**
 * The shared shape of every message: subject, paragraphs and links, each in plain text and HTML.
 * Strings live in locales/<lng>/billing.json under `email.*`; a key missing in the message's
 * language throws instead of falling back to English or showing the key.
 */

export const EMAIL_KINDS = [
  "low-balance-warning",
  "pool-exhausted",
  "auto-recharge-succeeded",
  "auto-recharge-failed",
  "top-up-receipt",
  "refund-booked",
  "dispute-funds-withdrawn",
  "dispute-funds-reinstated",
  "subscription-started",
  "subscription-renewed",
  "subscription-payment-failed",
  "subscription-expired",
  "password-reset",
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export interface RenderedEmail {
  kind: EmailKind;
  locale: Locale;
  subject: string;
  text: string;
  html: string;
  /**
   * The body carries a credential (a single-use link): once SMTP has taken the message, the
   * outbox keeps only its subject and a note, so the table does not hold working links.
   */
  secret?: boolean;
}

/** Values interpolated into a string: already formatted for the reader (amounts, cards). */
export type EmailValues = Record<string, string | number>;

export interface EmailLink {
  /** Key under `email.` of the link's label. */
  label: string;
  /** A path of the app ("/mandates/…/top-up") or an absolute URL (a Stripe receipt). */
  href: string;
}

export interface EmailContent {
  kind: EmailKind;
  locale: Locale;
  /** Key under `email.` and its values. */
  subject: string;
  /** Keys under `email.`, in order; all share `values`. */
  paragraphs: string[];
  links: EmailLink[];
  values: EmailValues;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function hasKey(locale: Locale, key: string): boolean {
  let node: unknown = RESOURCES[locale].billing;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string";
}

/** `email.<key>` in the locale, interpolated with raw values (the HTML side escapes the result). */
export function translateEmail(locale: Locale, key: string, values: EmailValues = {}): string {
  const full = `email.${key}`;
  if (!hasKey(locale, full)) throw new Error(`missing translation billing:${full} (${locale})`);
  return getTranslator(locale, "billing")(full, values);
}

export function formatAmount(amount: string, locale: Locale): string {
  return formatMoney(amount, locale);
}

/** "Visa •••• 4242"; without a last4, the locale's "your card". */
export function formatCard(card: CardFacts | null, locale: Locale): string {
  return cardLabel(card) ?? translateEmail(locale, "common.unknownCard");
}

export function appLink(path: string): string {
  return `${appOrigin()}${path}`;
}

function absolute(href: string): string {
  return /^https?:\/\//.test(href) ? href : appLink(href);
}

/** Plain text and HTML of one message. Every interpolated value is escaped on the HTML side. */
export function renderEmail(content: EmailContent): RenderedEmail {
  const { locale, values } = content;
  const tr = (key: string) => translateEmail(locale, key, values);
  const subject = tr(content.subject);
  const greeting = tr("common.greeting");
  const paragraphs = content.paragraphs.map(tr);
  const links = content.links.map((link) => ({ label: tr(link.label), href: absolute(link.href) }));
  const footer = tr("common.footer");

  const text = [greeting, ...paragraphs, ...links.map((link) => `${link.label}: ${link.href}`), "--", footer].join(
    "\n\n",
  );

  const html = [
    "<!doctype html>",
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a;">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...links.map((link) => `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`),
    `<hr><p style="font-size: 0.85em; color: #555;">${escapeHtml(footer)}</p>`,
    "</body></html>",
  ].join("\n");

  return { kind: content.kind, locale, subject, text: `${text}\n`, html: `${html}\n` };
}
