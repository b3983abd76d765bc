import { prisma } from "@/lib/db/client";
import type { MandateRole } from "@/lib/db/generated/client";
import { getPoolAccount, reconcileAccount } from "@/lib/ledger/accounts";
import { grantPlan } from "@/lib/subscriptions/grant-plan";
import { savePlan, type PlanInput } from "@/lib/subscriptions/plan-catalogue";
import { createMandate } from "@/lib/mandates/create-mandate";
import { formatMoney } from "@/lib/money/format";
import { compare } from "@/lib/money/money";
import { createUser } from "@/lib/users/create-user";
import { bookDemoPlan } from "./book-demo-plan";
import { DEMO_AG_PROFILE, MUSTER_PROFILE, type DemoUsageProfile, type DemoUserRef } from "./demo-catalogue";
import { DAY_MS, INITIAL_CREDIT_KEY, planDemoBookings } from "./plan-demo-bookings";

/**
 * Demo data for local development, screenshots and the e2e suite: two mandates, their people,
 * and six months of AI usage with top-ups. Idempotent: people and mandates are looked up by
 * e-mail and name before anything is created, and every booking carries a deterministic
 * idempotency key, so a second run books nothing and a run killed midway completes.
 */

/** Plain demo passwords (documented in the README). Demo only: never used outside *.local. */
export const DEMO_PASSWORDS = {
  "owner@demo.local": "owner-demo-2026",
  "admin@demo.local": "admin-demo-2026",
  "member@demo.local": "member-demo-2026",
  "platform@demo.local": "platform-demo-2026",
  "owner@muster.local": "muster-demo-2026",
  "consultant@demo.local": "consultant-demo-2026",
} as const;

export type DemoEmail = keyof typeof DEMO_PASSWORDS;

interface DemoUserSpec {
  email: DemoEmail;
  name: string;
  locale: "de" | "en";
  isPlatformAdmin: boolean;
}

export const DEMO_USERS: readonly DemoUserSpec[] = [
  { email: "owner@demo.local", name: "Olivia Owner", locale: "de", isPlatformAdmin: false },
  { email: "admin@demo.local", name: "Adrian Admin", locale: "en", isPlatformAdmin: false },
  { email: "member@demo.local", name: "Mia Member", locale: "de", isPlatformAdmin: false },
  // Runs the platform, belongs to no mandate: shows that platform access is not membership.
  { email: "platform@demo.local", name: "Paula Platform", locale: "en", isPlatformAdmin: true },
  { email: "owner@muster.local", name: "Max Muster", locale: "de", isPlatformAdmin: false },
  // A MEMBER of both mandates: the mandate picker lists them without any pool balance.
  { email: "consultant@demo.local", name: "Chris Consultant", locale: "en", isPlatformAdmin: false },
];

interface DemoMandateSpec {
  name: string;
  allowedProviders: string[];
  members: readonly { ref: DemoUserRef; email: DemoEmail; role: MandateRole }[];
  settings: {
    warningThresholdPercent: string;
    notifyEmails: string[];
    notifyOnWarning: boolean;
    autoRechargeEnabled: boolean;
    rechargeAmountCHF: string;
    rechargeMaxPerMonth: number;
  };
  profile: DemoUsageProfile;
  /** The demo plan the mandate is subscribed to (granted, as for an invoiced customer). */
  planCode: string;
}

/** The demo catalogue: three plans side by side. */
export const DEMO_PLANS: readonly PlanInput[] = [
  {
    code: "starter",
    nameDe: "Starter",
    nameEn: "Starter",
    monthlyPriceCHF: "29.00",
    aiBudgetCHF: "20.00",
    includedStorageMB: "1024",
    active: true,
  },
  {
    code: "team",
    nameDe: "Team",
    nameEn: "Team",
    monthlyPriceCHF: "99.00",
    aiBudgetCHF: "80.00",
    includedStorageMB: "10240",
    active: true,
  },
  {
    code: "business",
    nameDe: "Business",
    nameEn: "Business",
    monthlyPriceCHF: "299.00",
    aiBudgetCHF: "250.00",
    includedStorageMB: "51200",
    active: true,
  },
];

const DEMO_MANDATES: readonly DemoMandateSpec[] = [
  {
    name: "Demo AG",
    allowedProviders: [],
    members: [
      { ref: "owner", email: "owner@demo.local", role: "OWNER" },
      { ref: "admin", email: "admin@demo.local", role: "ADMIN" },
      { ref: "member", email: "member@demo.local", role: "MEMBER" },
      { ref: "consultant", email: "consultant@demo.local", role: "MEMBER" },
    ],
    settings: {
      warningThresholdPercent: "15",
      notifyEmails: ["owner@demo.local"],
      notifyOnWarning: true,
      autoRechargeEnabled: false,
      rechargeAmountCHF: "50",
      rechargeMaxPerMonth: 3,
    },
    profile: DEMO_AG_PROFILE,
    planCode: "team",
  },
  {
    // A second tenant with its own owner and a little usage, to show that mandates never see each other.
    name: "Muster GmbH",
    allowedProviders: ["mistral", "openai"],
    members: [
      { ref: "owner", email: "owner@muster.local", role: "OWNER" },
      { ref: "consultant", email: "consultant@demo.local", role: "MEMBER" },
    ],
    settings: {
      warningThresholdPercent: "10",
      notifyEmails: ["owner@muster.local"],
      notifyOnWarning: true,
      autoRechargeEnabled: false,
      rechargeAmountCHF: "10",
      rechargeMaxPerMonth: 3,
    },
    profile: MUSTER_PROFILE,
    planCode: "starter",
  },
];

export interface SeedDemoOptions {
  log: (line: string) => void;
  /** Where a fresh history ends; defaults to now. A seeded database keeps the end it was seeded with. */
  now?: Date;
  /** Days of history (default six months); tests use fewer. */
  days?: number;
}

export interface SeededMandate {
  name: string;
  mandateId: string;
  poolAccountId: string;
  usageCount: number;
  creditCount: number;
  booked: number;
  replayed: number;
  /** True when every planned booking was already there, so nothing was sent. */
  alreadySeeded: boolean;
  balance: string;
  /** Planned usage per provider and feature (exact sums of the booked amounts). */
  usageByProvider: Record<string, string>;
  usageByFeature: Record<string, string>;
}

export interface SeedDemoResult {
  end: Date;
  users: number;
  mandates: SeededMandate[];
}

export async function seedDemoData(opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const started = Date.now();
  const days = opts.days ?? DEMO_AG_PROFILE.maxDays;
  const userIds = await ensureUsers(opts.log);
  for (const plan of DEMO_PLANS) await savePlan(plan);
  const mandates = [];
  for (const spec of DEMO_MANDATES) mandates.push({ spec, ...(await ensureMandate(spec, userIds)) });

  const [first] = mandates;
  if (!first) throw new Error("no demo mandates defined");
  const end = await historyEnd(first.poolAccountId, Math.min(days, first.spec.profile.maxDays), opts.now ?? new Date());
  opts.log(`demo history: ${days} days ending ${end.toISOString()}`);

  const seeded: SeededMandate[] = [];
  for (const { spec, mandateId, poolAccountId, memberIds } of mandates) {
    const plan = planDemoBookings(spec.profile, { end, days });
    const existing = await prisma.billingTransaction.count({
      where: { accountId: poolAccountId, idempotencyKey: { startsWith: "demo:" } },
    });
    const alreadySeeded = existing === plan.bookings.length;
    const counts = alreadySeeded
      ? { booked: 0, replayed: 0 }
      : await bookDemoPlan({
          label: spec.name,
          mandateId,
          poolAccountId,
          userIds: memberIds,
          bookings: plan.bookings,
          log: opts.log,
        });
    await ensureDemoSubscription(mandateId, spec.planCode, userIds, end);
    await checkConsistency(spec.name, mandateId);
    const { balance } = await getPoolAccount(mandateId);
    seeded.push({
      name: spec.name,
      mandateId,
      poolAccountId,
      usageCount: plan.usageCount,
      creditCount: plan.creditCount,
      ...counts,
      alreadySeeded,
      balance,
      usageByProvider: plan.usageByProvider,
      usageByFeature: plan.usageByFeature,
    });
  }

  for (const m of seeded) {
    const work = m.alreadySeeded
      ? "already seeded, nothing to book"
      : `${count(m.booked, "booked")}, ${count(m.replayed, "replayed")}`;
    opts.log(
      `${m.name}: ${count(m.usageCount, "usage event")}, ${count(m.creditCount, "credit")} (${work}); ` +
        `pool balance ${formatMoney(m.balance, "en")}`,
    );
  }
  opts.log(
    `demo data ready: ${DEMO_USERS.length} users, ${seeded.length} mandates in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { end, users: DEMO_USERS.length, mandates: seeded };
}

async function ensureUsers(log: (line: string) => void): Promise<Map<DemoEmail, string>> {
  const ids = new Map<DemoEmail, string>();
  for (const spec of DEMO_USERS) {
    const existing = await prisma.user.findUnique({ where: { email: spec.email } });
    if (existing) {
      // The password is left alone: a re-hash would change the row on every run (argon2 salts).
      if (existing.isPlatformAdmin !== spec.isPlatformAdmin) {
        await prisma.user.update({ where: { id: existing.id }, data: { isPlatformAdmin: spec.isPlatformAdmin } });
      }
      ids.set(spec.email, existing.id);
      continue;
    }
    const { userId } = await createUser({
      email: spec.email,
      name: spec.name,
      password: DEMO_PASSWORDS[spec.email],
      isPlatformAdmin: spec.isPlatformAdmin,
      locale: spec.locale,
    });
    log(`created user ${spec.email}`);
    ids.set(spec.email, userId);
  }
  return ids;
}

async function ensureMandate(
  spec: DemoMandateSpec,
  userIds: Map<DemoEmail, string>,
): Promise<{ mandateId: string; poolAccountId: string; memberIds: Partial<Record<DemoUserRef, string>> }> {
  const members = spec.members.map((m) => {
    const userId = userIds.get(m.email);
    if (!userId) throw new Error(`demo user ${m.email} missing`);
    return { ...m, userId };
  });
  const existing = await prisma.mandate.findFirst({ where: { name: spec.name }, orderBy: { createdAt: "asc" } });
  const { mandateId, poolAccountId } = existing
    ? { mandateId: existing.id, poolAccountId: (await getPoolAccount(existing.id)).accountId }
    : await createMandate({
        name: spec.name,
        allowedProviders: spec.allowedProviders,
        members: members.map(({ userId, role }) => ({ userId, role })),
      });

  for (const { userId, role } of members) {
    await prisma.membership.upsert({
      where: { mandateId_userId: { mandateId, userId } },
      create: { mandateId, userId, role },
      update: { role },
    });
  }
  await ensureSettings(mandateId, spec.settings);
  return { mandateId, poolAccountId, memberIds: Object.fromEntries(members.map((m) => [m.ref, m.userId])) };
}

/** Writes the settings only when they differ, so a re-run leaves even updated_at as it was. */
async function ensureSettings(mandateId: string, wanted: DemoMandateSpec["settings"]): Promise<void> {
  const current = await prisma.billingSettings.findUnique({ where: { mandateId } });
  const same =
    current !== null &&
    compare(current.warningThresholdPercent, wanted.warningThresholdPercent) === 0 &&
    current.notifyEmails.join(",") === wanted.notifyEmails.join(",") &&
    current.notifyOnWarning === wanted.notifyOnWarning &&
    current.autoRechargeEnabled === wanted.autoRechargeEnabled &&
    compare(current.rechargeAmountCHF, wanted.rechargeAmountCHF) === 0 &&
    current.rechargeMaxPerMonth === wanted.rechargeMaxPerMonth;
  if (same) return;
  await prisma.billingSettings.upsert({ where: { mandateId }, create: { mandateId, ...wanted }, update: wanted });
}

/**
 * The history ends at `now` on the first run. Later runs must plan the very same events (their
 * idempotency keys carry the same payloads, or the ledger refuses them as conflicts), so the
 * end is recovered from the first booking, which sits exactly `days` before it.
 */
async function historyEnd(poolAccountId: string, days: number, now: Date): Promise<Date> {
  const anchor = await prisma.billingTransaction.findUnique({
    where: { accountId_idempotencyKey: { accountId: poolAccountId, idempotencyKey: INITIAL_CREDIT_KEY } },
    select: { createdAt: true },
  });
  if (anchor) return new Date(anchor.createdAt.getTime() + days * DAY_MS);
  // Whole seconds: the history's times read better, and nothing depends on the milliseconds.
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

/** Every account of the mandate must hold exactly the sum of its transactions. */
async function checkConsistency(name: string, mandateId: string): Promise<void> {
  const accounts = await prisma.billingAccount.findMany({ where: { mandateId }, select: { id: true } });
  for (const { id } of accounts) {
    const { balance, sum } = await reconcileAccount(id);
    if (balance !== sum) throw new Error(`${name}: account ${id} holds ${balance} but its transactions sum to ${sum}`);
  }
}

function count(n: number, noun: string): string {
  const plural = n === 1 || noun.endsWith("ed") ? noun : `${noun}s`;
  return `${n.toLocaleString("en-US")} ${plural}`;
}

/** Subscribes the mandate to its demo plan once (granted by the demo's platform admin). */
async function ensureDemoSubscription(
  mandateId: string,
  planCode: string,
  userIds: Map<DemoEmail, string>,
  now: Date,
): Promise<void> {
  const running = await prisma.subscription.count({
    where: { mandateId, status: { in: ["TRIALING", "ACTIVE", "PAST_DUE"] } },
  });
  if (running > 0) return;
  const plan = await prisma.plan.findUniqueOrThrow({ where: { code: planCode } });
  const admin = userIds.get("platform@demo.local");
  if (!admin) throw new Error("demo platform admin missing");
  await grantPlan({ mandateId, planId: plan.id, grantedByUserId: admin, reason: "demo data", now });
}
