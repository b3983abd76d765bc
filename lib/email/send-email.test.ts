import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { startSmtpSink, type SmtpSink } from "@/testing/smtp-sink";
import { createTestMandate } from "@/testing/test-factories";
import { findEmailRecipients } from "./find-email-recipients";
import { listOutboxEmails } from "./list-outbox-emails";
import { lowBalanceWarningEmail } from "./messages/low-balance-warning";
import { sendEmail } from "./send-email";

let sink: SmtpSink;
const savedEnv = { SMTP_URL: process.env.SMTP_URL, EMAIL_FROM: process.env.EMAIL_FROM };

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());
afterEach(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function receivedBy(address: string) {
  return sink.messages.filter((m) => m.envelopeTo.includes(address));
}

function warning(mandateId: string, mandateName = "Muster <AG> & Co") {
  return lowBalanceWarningEmail({
    locale: "de",
    mandateId,
    mandateName,
    balance: "1234.5",
    threshold: "2000",
    forecast: null,
  });
}

async function outboxRows(address: string) {
  return prisma.emailOutbox.findMany({ where: { toAddresses: { has: address } } });
}

describe("sendEmail", () => {
  it("sends over SMTP_URL from EMAIL_FROM: subject, text, HTML and recipients arrive, the row is marked sent", async () => {
    process.env.SMTP_URL = sink.url;
    process.env.EMAIL_FROM = "Billing Test <billing@test.invalid>";
    const m = await createTestMandate();
    const to = [`a-${randomUUID()}@test.invalid`, `b-${randomUUID()}@test.invalid`];
    const message = warning(m.mandateId);

    const result = await sendEmail({ message, to, mandateId: m.mandateId });

    expect(result.status).toBe("sent");
    // sendMail resolves once the sink has accepted (and parsed) the message.
    const [received] = receivedBy(to[0]!);
    expect(received).toBeDefined();
    const mail = received!.parsed;
    expect(received!.envelopeTo.sort()).toEqual([...to].sort());
    expect(mail.subject).toBe(message.subject);
    expect(mail.subject).toContain("Muster <AG> & Co");
    expect(mail.from?.value[0]?.address).toBe("billing@test.invalid");
    expect(mail.text?.trim()).toBe(message.text.trim());
    expect(mail.html).toContain("Muster &lt;AG&gt; &amp; Co");
    expect(mail.html).not.toContain("<AG>");
    const [row] = await outboxRows(to[0]!);
    expect(row).toMatchObject({ mandateId: m.mandateId, kind: "low-balance-warning", transport: "smtp", error: null });
    expect(row!.sentAt).not.toBeNull();
    expect(row!.toAddresses.sort()).toEqual([...to].sort());
  });

  it("without SMTP_URL records the message in the outbox and sends nothing", async () => {
    delete process.env.SMTP_URL;
    const m = await createTestMandate();
    const to = `outbox-${randomUUID()}@test.invalid`;

    const result = await sendEmail({ message: warning(m.mandateId), to: [to], mandateId: m.mandateId });

    expect(result.status).toBe("outbox");
    const rows = await outboxRows(to);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ transport: "outbox", sentAt: null, subject: warning(m.mandateId).subject });
    expect(rows[0]!.htmlBody).toContain("Muster &lt;AG&gt;");
    const listed = (await listOutboxEmails(1000)).find((e) => e.id === result.id);
    expect(listed).toMatchObject({ to: [to], transport: "outbox", sentAt: null, kind: "low-balance-warning" });
    expect(listed?.mandate?.id).toBe(m.mandateId);
    expect(receivedBy(to)).toHaveLength(0);
  });

  it("sends a dedupe key once, retried one after the other or concurrently", async () => {
    process.env.SMTP_URL = sink.url;
    const m = await createTestMandate();
    const sequential = `seq-${randomUUID()}@test.invalid`;
    const key = `test:${randomUUID()}`;
    const first = await sendEmail({ message: warning(m.mandateId), to: [sequential], dedupeKey: key });
    const second = await sendEmail({ message: warning(m.mandateId), to: [sequential], dedupeKey: key });
    expect([first.status, second.status]).toEqual(["sent", "already-sent"]);
    expect(second.id).toBe(first.id);

    const concurrent = `par-${randomUUID()}@test.invalid`;
    const parallelKey = `test:${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        sendEmail({ message: warning(m.mandateId), to: [concurrent], dedupeKey: parallelKey }),
      ),
    );
    expect(results.filter((r) => r.status === "sent")).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);

    expect(receivedBy(sequential)).toHaveLength(1);
    expect(receivedBy(concurrent)).toHaveLength(1);
    expect(await outboxRows(sequential)).toHaveLength(1);
    expect(await outboxRows(concurrent)).toHaveLength(1);
  });

  it("records a failed send and throws; the retry with the same key sends it once", async () => {
    const closed = await startSmtpSink();
    await closed.close(); // nothing listens on its port any more
    process.env.SMTP_URL = closed.url;
    const m = await createTestMandate();
    const to = `retry-${randomUUID()}@test.invalid`;
    const key = `test:${randomUUID()}`;

    await expect(sendEmail({ message: warning(m.mandateId), to: [to], dedupeKey: key })).rejects.toThrow();
    const [failed] = await outboxRows(to);
    expect(failed).toMatchObject({ sentAt: null, transport: "smtp" });
    expect(failed!.error).toBeTruthy();

    process.env.SMTP_URL = sink.url;
    const retried = await sendEmail({ message: warning(m.mandateId), to: [to], dedupeKey: key });
    expect(retried).toEqual({ status: "sent", id: failed!.id });
    expect(receivedBy(to)).toHaveLength(1);
    const [sent] = await outboxRows(to);
    expect(sent).toMatchObject({ error: null });
    expect(sent!.sentAt).not.toBeNull();
  });
});

describe("findEmailRecipients", () => {
  it("answers the owners while no notify addresses are set, then the notify addresses; German by default", async () => {
    const m = await createTestMandate();
    const owner = await prisma.user.findUniqueOrThrow({ where: { id: m.ownerId } });
    expect(await findEmailRecipients(m.mandateId)).toMatchObject({ locale: "de", to: [owner.email] });

    const notify = [`billing-${randomUUID()}@test.invalid`, `cfo-${randomUUID()}@test.invalid`];
    await prisma.billingSettings.update({ where: { mandateId: m.mandateId }, data: { notifyEmails: notify } });
    await prisma.mandate.update({ where: { id: m.mandateId }, data: { locale: "en" } });
    expect(await findEmailRecipients(m.mandateId)).toMatchObject({ locale: "en", to: notify });
  });

  it("is null for an unknown or malformed mandate id", async () => {
    expect(await findEmailRecipients(randomUUID())).toBeNull();
    expect(await findEmailRecipients("nope")).toBeNull();
  });
});
