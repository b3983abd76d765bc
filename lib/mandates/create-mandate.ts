import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";

export interface CreateMandateOptions {
  name: string;
  allowedProviders?: string[];
  /** Users to add as members right away (the creator is usually the OWNER). */
  members?: { userId: string; role: MandateRole }[];
  warningThresholdCHF?: string;
}

export interface CreatedMandate {
  mandateId: string;
  poolAccountId: string;
}

/** A mandate always comes with its pool account and its settings row, in one transaction. */
export async function createMandate(opts: CreateMandateOptions): Promise<CreatedMandate> {
  return prisma.$transaction(async (tx) => {
    const mandate = await tx.mandate.create({
      data: {
        name: opts.name,
        allowedProviders: opts.allowedProviders ?? [],
        memberships: { create: opts.members ?? [] },
        settings: { create: {} },
      },
    });
    const pool = await tx.billingAccount.create({
      data: { mandateId: mandate.id, userId: null, warningThreshold: opts.warningThresholdCHF ?? "0" },
    });
    return { mandateId: mandate.id, poolAccountId: pool.id };
  });
}
