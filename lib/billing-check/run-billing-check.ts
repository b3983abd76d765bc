import { prisma } from "@/lib/db/client";
import type { MandateRole, Prisma } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/errors";
import { parseAmount } from "@/lib/ledger/post-transaction";
import { decideBillingCheck, type BillingCheckResult } from "./decide-billing-check";

export interface BillingCheckOptions {
  mandateId: string;
  userId?: string | null;
  /** Decimal string; zero is allowed (asks only whether the mandate may spend at all). */
  estimatedCost: string;
  provider?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface FactsRow {
  balance: Prisma.Decimal;
  enabled: boolean;
  allowed_providers: string[];
  role: MandateRole | null;
  user_account_enabled: boolean | null;
}

/** Asks before an AI call whether the mandate (and user) may spend; one query, no writes. */
export async function runBillingCheck(opts: BillingCheckOptions): Promise<BillingCheckResult> {
  if (!UUID.test(opts.mandateId)) throw new DomainError("NOT_FOUND", "mandate not found");
  if (opts.userId && !UUID.test(opts.userId)) throw new DomainError("VALIDATION_FAILED", "userId is not a UUID");
  const estimatedCost = opts.estimatedCost === "0" ? "0" : parseAmount(opts.estimatedCost, false);
  const userId = opts.userId ?? null;

  const [row] = await prisma.$queryRaw<FactsRow[]>`
    SELECT a.balance, a.enabled, m.allowed_providers, mem.role, ua.enabled AS user_account_enabled
      FROM billing_account a
      JOIN mandate m ON m.id = a.mandate_id
      LEFT JOIN membership mem ON mem.mandate_id = a.mandate_id AND mem.user_id = ${userId}::uuid
      LEFT JOIN billing_account ua ON ua.mandate_id = a.mandate_id AND ua.user_id = ${userId}::uuid
     WHERE a.mandate_id = ${opts.mandateId}::uuid AND a.user_id IS NULL`;
  if (!row) throw new DomainError("NOT_FOUND", "mandate not found");

  return decideBillingCheck(
    {
      mandateId: opts.mandateId,
      poolEnabled: row.enabled,
      balance: row.balance.toString(),
      reserved: "0",
      allowedProviders: row.allowed_providers,
      userRole: userId ? row.role : undefined,
      // The audit account is created on first use; until then nothing can have disabled it.
      userAccountEnabled: row.user_account_enabled ?? true,
    },
    { estimatedCost, provider: opts.provider },
  );
}
