import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { toMoneyString } from "@/lib/money/money";

export interface UserMandate {
  mandateId: string;
  name: string;
  /** The user's membership role; null for a platform admin who is no member. */
  role: MandateRole | null;
  /** Pool account balance as a decimal string, with its currency. */
  balance: string;
  currency: string;
}

export interface ListUserMandatesOptions {
  userId: string;
  /** Platform admins see every mandate, members only theirs. */
  includeAll: boolean;
}

/** The mandates a person may open, by name, with each pool account's balance. */
export async function listUserMandates(opts: ListUserMandatesOptions): Promise<UserMandate[]> {
  const mandates = await prisma.mandate.findMany({
    where: opts.includeAll ? {} : { memberships: { some: { userId: opts.userId } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      memberships: { where: { userId: opts.userId }, select: { role: true } },
      accounts: { where: { userId: null }, select: { balance: true, currency: true } },
    },
  });
  return mandates.map((m) => {
    const pool = m.accounts[0];
    return {
      mandateId: m.id,
      name: m.name,
      role: m.memberships[0]?.role ?? null,
      balance: pool ? toMoneyString(pool.balance) : "0.000000",
      currency: pool?.currency ?? "CHF",
    };
  });
}
