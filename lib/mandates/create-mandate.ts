import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { normalizeEmail } from "@/lib/users/email-address";

export interface CreateMandateOptions {
  name: string;
  allowedProviders?: string[];
  /** Users to add as members right away (the creator is usually the OWNER). */
  members?: { userId: string; role: MandateRole }[];
  /** The settings' warningThresholdPercent ("10"); the database derives the CHF threshold from it. */
  warningThresholdPercent?: string;
  /**
   * E-mail of an existing user who becomes OWNER (the platform admin form). An unknown e-mail
   * is NOT_FOUND with details on `ownerEmail`, and nothing is created.
   */
  ownerEmail?: string | null;
}

export interface CreatedMandate {
  mandateId: string;
  poolAccountId: string;
}

/** A mandate always comes with its pool account and its settings row, in one transaction. */
export async function createMandate(opts: CreateMandateOptions): Promise<CreatedMandate> {
  return prisma.$transaction(async (tx) => {
    const members = [...(opts.members ?? [])];
    if (opts.ownerEmail) {
      const owner = await tx.user.findUnique({
        where: { email: normalizeEmail(opts.ownerEmail) },
        select: { id: true },
      });
      if (!owner) {
        throw new DomainError("NOT_FOUND", "no user with this e-mail", [{ path: "ownerEmail", message: "unknown" }]);
      }
      if (!members.some((m) => m.userId === owner.id)) members.push({ userId: owner.id, role: "OWNER" });
    }
    const mandate = await tx.mandate.create({
      data: {
        name: opts.name,
        allowedProviders: opts.allowedProviders ?? [],
        memberships: { create: members },
        settings: {
          create: opts.warningThresholdPercent ? { warningThresholdPercent: opts.warningThresholdPercent } : {},
        },
      },
    });
    const pool = await tx.billingAccount.create({
      data: { mandateId: mandate.id, userId: null },
    });
    return { mandateId: mandate.id, poolAccountId: pool.id };
  });
}
