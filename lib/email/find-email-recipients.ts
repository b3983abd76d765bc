import { prisma } from "@/lib/db/client";
import { isLocale, type Locale } from "@/lib/i18n/config";
import { isUuid } from "@/lib/ids/uuid";

export interface EmailRecipients {
  mandateName: string;
  /** The mandate's e-mail language (its settings, German by default). */
  locale: Locale;
  /** Empty when the mandate has neither notify addresses nor an owner: then nothing is sent. */
  to: string[];
}

/**
 * Who receives a mandate's billing messages: the settings' notifyEmails when any are set,
 * otherwise every OWNER of the mandate. Null for an unknown mandate.
 */
export async function findEmailRecipients(mandateId: string): Promise<EmailRecipients | null> {
  if (!isUuid(mandateId)) return null;
  const mandate = await prisma.mandate.findUnique({
    where: { id: mandateId },
    select: {
      name: true,
      locale: true,
      settings: { select: { notifyEmails: true } },
      memberships: { where: { role: "OWNER" }, select: { user: { select: { email: true } } } },
    },
  });
  if (!mandate) return null;
  const notify = mandate.settings?.notifyEmails ?? [];
  const to = notify.length > 0 ? notify : mandate.memberships.map((m) => m.user.email).sort();
  return { mandateName: mandate.name, locale: isLocale(mandate.locale) ? mandate.locale : "de", to: [...new Set(to)] };
}
