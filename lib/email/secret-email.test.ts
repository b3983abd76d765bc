import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { startSmtpSink, type SmtpSink } from "@/testing/smtp-sink";
import { passwordResetEmail } from "./messages/password-reset";
import { SECRET_REMOVED, sendEmail } from "./send-email";

let sink: SmtpSink;
const savedSmtpUrl = process.env.SMTP_URL;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());
afterEach(() => {
  if (savedSmtpUrl === undefined) delete process.env.SMTP_URL;
  else process.env.SMTP_URL = savedSmtpUrl;
});

function resetMail(email: string, token: string) {
  return passwordResetEmail({ locale: "en", email, origin: "https://billing.test", token, validMinutes: 30 });
}

describe("a message that carries a single-use link", () => {
  it("arrives whole over SMTP, and its outbox row keeps only the subject and a note", async () => {
    process.env.SMTP_URL = sink.url;
    const to = `reset-${randomUUID()}@test.invalid`;
    const token = `token-${randomUUID()}`;

    await sendEmail({ message: resetMail(to, token), to: [to], dedupeKey: `reset:${token}` });

    const received = sink.messages.find((m) => m.envelopeTo.includes(to));
    expect(received?.parsed.text).toContain(token);
    const row = await prisma.emailOutbox.findFirstOrThrow({ where: { toAddresses: { has: to } } });
    expect(row.sentAt).not.toBeNull();
    expect(row.subject).toBe(resetMail(to, token).subject);
    expect(row.textBody).toBe(SECRET_REMOVED);
    expect(`${row.textBody}${row.htmlBody}`).not.toContain(token);
  });

  it("stays readable in the development outbox, which is its only delivery", async () => {
    delete process.env.SMTP_URL;
    const to = `reset-${randomUUID()}@test.invalid`;
    const token = `token-${randomUUID()}`;

    await sendEmail({ message: resetMail(to, token), to: [to] });

    const row = await prisma.emailOutbox.findFirstOrThrow({ where: { toAddresses: { has: to } } });
    expect(row.transport).toBe("outbox");
    expect(row.textBody).toContain(token);
  });
});
