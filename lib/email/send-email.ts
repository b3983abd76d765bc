import nodemailer, { type Transporter } from "nodemailer";
import { prisma } from "@/lib/db/client";
import { emailFrom, smtpUrl } from "./email-config";
import type { RenderedEmail } from "./messages/render-email";

export interface SendEmailOptions {
  message: RenderedEmail;
  to: readonly string[];
  /** Null for platform messages that belong to no mandate. */
  mandateId?: string | null;
  /**
   * Makes the send idempotent: a retried job with the same key finds the row it wrote and sends
   * only if the first attempt did not get through. Derive it from what the message answers
   * (e.g. `recharge-failed:<attemptId>`), never from the time.
   */
  dedupeKey?: string;
}

export type SendEmailResult =
  { status: "sent"; id: string } | { status: "outbox"; id: string } | { status: "already-sent"; id: string };

/** What a sent secret message's row keeps instead of its body (RenderedEmail.secret). */
export const SECRET_REMOVED = "[Removed after sending: the message carried a single-use link.]";

const transporters = new Map<string, Transporter>();

function transporterFor(url: string): Transporter {
  let transporter = transporters.get(url);
  if (!transporter) {
    // Bounded: the send holds a row lock (below) and a job's time.
    transporter = nodemailer.createTransport(url, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    transporters.set(url, transporter);
  }
  return transporter;
}

/**
 * Records the message in email_outbox and, when SMTP_URL is set, sends it.
 *
 * The row is committed first, then sent under its row lock and marked `sent_at` in the same
 * transaction: a concurrent send of the same key waits on the lock and then finds it sent; a
 * crash before the commit leaves it unsent for the retry; a failed send records `error` and
 * throws, so the caller's job retries. Without SMTP_URL the row is the whole delivery (transport
 * "outbox") and a retry finds it done. A message is sent twice only if the process dies between
 * the SMTP server's acceptance and the commit, the at-least-once edge no mail protocol closes.
 */
export async function sendEmail(opts: SendEmailOptions): Promise<SendEmailResult> {
  const to = [...new Set(opts.to.map((address) => address.trim()).filter((address) => address !== ""))];
  if (to.length === 0) throw new Error("an e-mail needs at least one recipient");
  const url = smtpUrl();
  const { message } = opts;
  const data = {
    mandateId: opts.mandateId ?? null,
    kind: message.kind,
    toAddresses: to,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html,
    transport: url ? "smtp" : "outbox",
    dedupeKey: opts.dedupeKey ?? null,
  };
  const id = await recordMessage(data);

  const outcome = await prisma.$transaction(
    async (tx): Promise<SendEmailResult | { status: "failed"; error: unknown }> => {
      const [row] = await tx.$queryRaw<{ transport: string; sent_at: Date | null }[]>`
        SELECT transport, sent_at FROM email_outbox WHERE id = ${id}::uuid FOR UPDATE`;
      if (!row) throw new Error(`email_outbox row ${id} vanished`);
      if (row.sent_at !== null) return { status: "already-sent", id } as const;
      if (row.transport === "outbox" || !url) return { status: "outbox", id } as const;
      const stored = await tx.emailOutbox.findUniqueOrThrow({ where: { id } });
      try {
        await transporterFor(url).sendMail({
          from: emailFrom(),
          to: stored.toAddresses,
          subject: stored.subject,
          text: stored.textBody,
          html: stored.htmlBody,
        });
      } catch (error) {
        // Recorded in this transaction (it holds the row's lock), thrown after its commit.
        await tx.emailOutbox.update({ where: { id }, data: { error: errorText(error) } });
        return { status: "failed", error };
      }
      await tx.emailOutbox.update({
        where: { id },
        data: {
          sentAt: new Date(),
          error: null,
          ...(message.secret ? { textBody: SECRET_REMOVED, htmlBody: `<p>${SECRET_REMOVED}</p>` } : {}),
        },
      });
      return { status: "sent", id } as const;
    },
    // The SMTP conversation runs inside: allow for the transporter's timeouts, and for a
    // concurrent send of the same key that holds the lock meanwhile.
    { timeout: 60_000, maxWait: 10_000 },
  );
  if (outcome.status === "failed") throw outcome.error;
  return outcome;
}

/** The message's row: inserted, or with a dedupe key the one an earlier attempt inserted. */
async function recordMessage(data: {
  mandateId: string | null;
  kind: string;
  toAddresses: string[];
  subject: string;
  textBody: string;
  htmlBody: string;
  transport: string;
  dedupeKey: string | null;
}): Promise<string> {
  if (data.dedupeKey === null) {
    const created = await prisma.emailOutbox.create({ data, select: { id: true } });
    return created.id;
  }
  const inserted = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO email_outbox (mandate_id, kind, to_addresses, subject, text_body, html_body, transport, dedupe_key)
    VALUES (${data.mandateId}::uuid, ${data.kind}, ${data.toAddresses}::text[], ${data.subject}, ${data.textBody},
            ${data.htmlBody}, ${data.transport}, ${data.dedupeKey})
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id`;
  if (inserted[0]) return inserted[0].id;
  const existing = await prisma.emailOutbox.findUniqueOrThrow({
    where: { dedupeKey: data.dedupeKey },
    select: { id: true },
  });
  return existing.id;
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
