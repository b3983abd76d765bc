import { prisma } from "@/lib/db/client";
import { countBookings } from "./booking-counts";

/**
 * Everything a dashboard route or form could change about a mandate and its people, as plain
 * JSON (decimals and dates as strings), so a test can prove a refused request changed nothing by
 * comparing snapshots taken before and after it: the mandate, its memberships, settings and
 * change history, accounts, API keys, bookings and reservations, and the users' rows.
 */
export async function snapshotMandate(mandateId: string, userIds: readonly string[] = []): Promise<unknown> {
  const [mandate, memberships, settings, settingsChanges, accounts, apiKeys, bookings, users] = await Promise.all([
    prisma.mandate.findUnique({ where: { id: mandateId }, select: { name: true, allowedProviders: true } }),
    prisma.membership.findMany({
      where: { mandateId },
      select: { id: true, userId: true, role: true },
      orderBy: { id: "asc" },
    }),
    prisma.billingSettings.findUnique({ where: { mandateId } }),
    prisma.billingSettingsChange.count({ where: { mandateId } }),
    prisma.billingAccount.findMany({
      where: { mandateId },
      select: { id: true, userId: true, balance: true, reservedAmount: true, warningThreshold: true, enabled: true },
      orderBy: { id: "asc" },
    }),
    prisma.apiKey.findMany({
      where: { mandateId },
      select: { id: true, name: true, revokedAt: true },
      orderBy: { id: "asc" },
    }),
    countBookings(mandateId),
    prisma.user.findMany({
      where: { id: { in: [...userIds] } },
      select: { id: true, email: true, name: true, locale: true, isPlatformAdmin: true, passwordHash: true },
      orderBy: { id: "asc" },
    }),
  ]);
  return JSON.parse(
    JSON.stringify({ mandate, memberships, settings, settingsChanges, accounts, apiKeys, bookings, users }),
  ) as unknown;
}

/**
 * What a dashboard form could create outside the mandates a test snapshots: memberships of a
 * user (a new mandate's owner), API keys an admin made or whose name carries `tag`, and users
 * whose e-mail starts with `emailPrefix` (members added by e-mail).
 */
export async function countCreated(opts: {
  memberUserId: string;
  apiKeyCreatorId: string;
  tag: string;
  emailPrefix: string;
}): Promise<{ memberships: number; apiKeys: number; users: number }> {
  const [memberships, apiKeys, users] = await Promise.all([
    prisma.membership.count({ where: { userId: opts.memberUserId } }),
    prisma.apiKey.count({
      where: { OR: [{ createdByUserId: opts.apiKeyCreatorId }, { name: { contains: opts.tag } }] },
    }),
    prisma.user.count({ where: { email: { startsWith: opts.emailPrefix } } }),
  ]);
  return { memberships, apiKeys, users };
}
