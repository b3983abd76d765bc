import { prisma } from "@/lib/db/client";

/** How many messages the outbox page shows: the newest; older ones stay in the table. */
export const OUTBOX_PAGE_LIMIT = 100;

export interface OutboxEmailView {
  id: string;
  kind: string;
  to: string[];
  subject: string;
  textBody: string;
  mandate: { id: string; name: string } | null;
  /** "smtp" or "outbox". */
  transport: string;
  createdAt: string;
  /** Null while not sent (always for transport "outbox"). */
  sentAt: string | null;
  error: string | null;
}

/** The newest recorded e-mails of every mandate, for platform admins (the development outbox). */
export async function listOutboxEmails(limit = OUTBOX_PAGE_LIMIT): Promise<OutboxEmailView[]> {
  const rows = await prisma.emailOutbox.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { mandate: { select: { id: true, name: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    to: row.toAddresses,
    subject: row.subject,
    textBody: row.textBody,
    mandate: row.mandate,
    transport: row.transport,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    error: row.error,
  }));
}
