import { prisma } from "@/lib/db/client";

/** One row of the platform admin's mandate list. Amounts are decimal strings (six decimals). */
export interface MandateOverviewRow {
  mandateId: string;
  name: string;
  allowedProviders: string[];
  createdAt: Date;
  balance: string;
  currency: string;
  warningThreshold: string;
  /** balance < warningThreshold, compared in PostgreSQL (numeric, exact). */
  belowWarning: boolean;
  poolEnabled: boolean;
  memberCount: number;
  activeApiKeyCount: number;
}

interface Row {
  id: string;
  name: string;
  allowed_providers: string[];
  created_at: Date;
  balance: string | null;
  currency: string | null;
  warning_threshold: string | null;
  below_warning: boolean | null;
  enabled: boolean | null;
  member_count: number;
  active_api_key_count: number;
}

/**
 * Every mandate with its pool account and counts, in one statement: the list grows with the
 * platform, and a query per row (balance, members, keys) would grow with it. Counts come from
 * grouped subqueries joined once, not correlated per row. A mandate without a pool account
 * (never created by createMandate, but possible by hand) shows a zero balance.
 */
export async function listAllMandates(): Promise<MandateOverviewRow[]> {
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT m.id, m.name, m.allowed_providers, m.created_at,
           a.balance::text AS balance, a.currency, a.warning_threshold::text AS warning_threshold,
           a.balance < a.warning_threshold AS below_warning, a.enabled,
           coalesce(ms.n, 0)::int AS member_count,
           coalesce(k.n, 0)::int AS active_api_key_count
      FROM mandate m
      LEFT JOIN billing_account a ON a.mandate_id = m.id AND a.user_id IS NULL
      LEFT JOIN (SELECT mandate_id, count(*) AS n FROM membership GROUP BY mandate_id) ms ON ms.mandate_id = m.id
      LEFT JOIN (SELECT mandate_id, count(*) AS n FROM api_key WHERE revoked_at IS NULL GROUP BY mandate_id) k
             ON k.mandate_id = m.id
     ORDER BY lower(m.name), m.id`;
  return rows.map((row) => ({
    mandateId: row.id,
    name: row.name,
    allowedProviders: row.allowed_providers,
    createdAt: row.created_at,
    balance: row.balance ?? "0.000000",
    currency: (row.currency ?? "CHF").trim(),
    warningThreshold: row.warning_threshold ?? "0.000000",
    belowWarning: row.below_warning ?? false,
    poolEnabled: row.enabled ?? true,
    memberCount: row.member_count,
    activeApiKeyCount: row.active_api_key_count,
  }));
}
