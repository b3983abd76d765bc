import { roleSatisfies } from "@/lib/auth/roles";
import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { toMoneyString } from "@/lib/money/money";

export interface UserMandate {
  mandateId: string;
  name: string;
  /** The user's membership role; null for a platform admin who is no member. */
  role: MandateRole | null;
  /**
   * Pool account balance as a decimal string, with its currency; null where the person is a
   * MEMBER: the pool is the mandate's money, which only owners, admins and platform admins see.
   */
  balance: string | null;
  currency: string;
}

export interface ListUserMandatesOptions {
  userId: string;
  /** Platform admins see every mandate, members only theirs. */
  includeAll: boolean;
}

/** The mandates a person may open, by name, with each pool account's balance where they may see it. */
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
    const role = m.memberships[0]?.role ?? null;
    // The same rule as the dashboard's (lib/dashboard/viewer.ts seesPool); a platform admin who
    // is no member acts as OWNER everywhere (lib/auth/roles.ts).
    const seesPool = role === null ? opts.includeAll : roleSatisfies(role, "ADMIN");
    return {
      mandateId: m.id,
      name: m.name,
      role,
      balance: seesPool ? (pool ? toMoneyString(pool.balance) : "0.000000") : null,
      currency: pool?.currency ?? "CHF",
    };
  });
}
