import { createHash } from "node:crypto";
import argon2 from "argon2";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { reconcileAccount } from "@/lib/ledger/accounts";
import { iterateTransactions, type TransactionItem } from "@/lib/ledger/list-transactions";
import { add, compare, Money, sub, toMoney, toMoneyString } from "@/lib/money/money";
import { reconcile } from "@/lib/reconciliation/reconcile";
import { getStatistics } from "@/lib/stats/get-statistics";
import { bookDemoPlan } from "./book-demo-plan";
import { DEMO_AG_PROFILE, MUSTER_PROFILE } from "./demo-catalogue";
import { DAY_MS, planDemoBookings, type DemoPlan } from "./plan-demo-bookings";
import { DEMO_PASSWORDS, DEMO_USERS, seedDemoData, type SeedDemoResult } from "./seed-demo";
import { ledgerDescription } from "@/lib/ledger/wording";

// Other test files create their own mandates in this database at the same time, so the demo
// data is found by its names and e-mails only, never by counting whole tables.
const MANDATE_NAMES = ["Demo AG", "Muster GmbH"];
const NOW = new Date("2026-03-13T17:00:00Z");
const DAYS = 14;
const quiet = () => undefined;

/** Everything the seed writes, in a form that compares equal only if nothing changed. */
async function snapshot() {
  const mandates = await prisma.mandate.findMany({
    where: { name: { in: MANDATE_NAMES } },
    include: { memberships: { orderBy: { userId: "asc" } }, settings: true, accounts: { orderBy: { id: "asc" } } },
    orderBy: { name: "asc" },
  });
  const accounts = await Promise.all(
    mandates.flatMap((m) => m.accounts.map(async (a) => ({ ...a, reconciled: await reconcileAccount(a.id) }))),
  );
  const users = await prisma.user.findMany({
    where: { email: { in: DEMO_USERS.map((u) => u.email) } },
    orderBy: { email: "asc" },
  });
  return { mandates, accounts, users };
}

async function debitSums(accountId: string, column: "aicore_provider" | "feature_code") {
  const rows = await prisma.$queryRawUnsafe<{ key: string; sum: string }[]>(
    `SELECT ${column} AS key, sum(amount)::text AS sum FROM billing_transaction
      WHERE account_id = $1::uuid AND transaction_type = 'DEBIT' GROUP BY 1 ORDER BY 1`,
    accountId,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.sum]));
}

/** The pool's balance after each booking, in plan order: what every balance_after must read. */
function plannedBalances(plan: DemoPlan): Map<string, string> {
  let balance: Money = toMoney("0");
  const after = new Map<string, string>();
  for (const b of plan.bookings) {
    balance = b.kind === "credit" ? add(balance, b.amount) : sub(balance, b.amount);
    after.set(b.idempotencyKey, toMoneyString(balance));
  }
  return after;
}

/** Every field of every booking, independent of the planner's property order. */
function fingerprint(plan: DemoPlan): string {
  // A credit's wording counts as the sentence it books (its description), as before wordings existed.
  const canonical = plan.bookings.map((b) =>
    Object.entries(b.kind === "credit" ? { ...without(b, "wording"), description: ledgerDescription(b.wording) } : b)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _left, ...rest } = value;
  return rest;
}

function mandateOf(result: SeedDemoResult, name: string) {
  const mandate = result.mandates.find((m) => m.name === name);
  if (!mandate) throw new Error(`${name} not seeded`);
  return mandate;
}

describe("seedDemoData", () => {
  it("seeds mandates, people, usage and top-ups consistently, and a second run changes nothing", async () => {
    const first = await seedDemoData({ log: quiet, now: NOW, days: DAYS });
    const demo = mandateOf(first, "Demo AG");
    const muster = mandateOf(first, "Muster GmbH");
    expect(demo).toMatchObject({ alreadySeeded: false, replayed: 0, booked: demo.usageCount + demo.creditCount });
    expect(demo.usageCount).toBeGreaterThan(1_000);
    expect(muster.usageCount).toBeGreaterThan(20);

    // People and roles.
    for (const name of MANDATE_NAMES) expect(await prisma.mandate.count({ where: { name } })).toBe(1);
    const users = new Map((await snapshot()).users.map((u) => [u.email, u]));
    expect(users.size).toBe(DEMO_USERS.length);
    const owner = users.get("owner@demo.local");
    expect(owner?.name).toBe("Olivia Owner");
    expect(await argon2.verify(owner?.passwordHash ?? "", DEMO_PASSWORDS["owner@demo.local"])).toBe(true);
    const roles = await prisma.membership.findMany({
      where: { mandate: { name: { in: MANDATE_NAMES } } },
      select: { role: true, user: { select: { email: true } }, mandate: { select: { name: true } } },
    });
    expect(roles.map((r) => `${r.mandate.name}/${r.user.email}/${r.role}`).sort()).toEqual([
      "Demo AG/admin@demo.local/ADMIN",
      "Demo AG/consultant@demo.local/MEMBER",
      "Demo AG/member@demo.local/MEMBER",
      "Demo AG/owner@demo.local/OWNER",
      "Muster GmbH/consultant@demo.local/MEMBER",
      "Muster GmbH/owner@muster.local/OWNER",
    ]);
    const platform = users.get("platform@demo.local");
    expect(platform?.isPlatformAdmin).toBe(true);
    expect(await prisma.membership.count({ where: { userId: platform?.id } })).toBe(0);

    // Settings and thresholds.
    const settings = await prisma.billingSettings.findUniqueOrThrow({ where: { mandateId: demo.mandateId } });
    expect(settings).toMatchObject({
      notifyEmails: ["owner@demo.local"],
      notifyOnWarning: true,
      // Off until an owner keeps a card (a top-up with "keep this card"): it cannot charge without one.
      autoRechargeEnabled: false,
      rechargeMaxPerMonth: 3,
    });
    expect(settings.warningThresholdPercent.toFixed(2)).toBe("15.00");
    expect(settings.rechargeAmountCHF.toFixed(6)).toBe("50.000000");
    const pool = await prisma.billingAccount.findUniqueOrThrow({ where: { id: demo.poolAccountId } });
    // The threshold is 15 % of the budget: every credit of the demo was booked this month.
    const [credits] = await prisma.$queryRaw<{ sum: string }[]>`
      SELECT sum(amount)::text AS sum FROM billing_transaction
       WHERE account_id = ${demo.poolAccountId}::uuid AND transaction_type <> 'DEBIT' AND amount > 0`;
    expect(pool.budget.toFixed(6)).toBe(toMoneyString(credits!.sum));
    expect(pool.warningThreshold.toFixed(6)).toBe(toMoney(credits!.sum).times("0.15").toFixed(6, Money.ROUND_HALF_UP));

    // Both demo mandates run on a plan (granted), its AI budget credited once.
    for (const [mandate, code] of [
      [demo, "team"],
      [muster, "starter"],
    ] as const) {
      const subscriptions = await prisma.subscription.findMany({
        where: { mandateId: mandate.mandateId },
        include: { plan: true, credits: true },
      });
      expect(subscriptions.map((x) => [x.status, x.plan.code, x.credits.length])).toEqual([["ACTIVE", code, 1]]);
    }

    // Usage: every provider, feature and user appears; sums are exact and match the plan.
    const byProvider = await debitSums(demo.poolAccountId, "aicore_provider");
    expect(Object.keys(byProvider)).toEqual(["anthropic", "google", "mistral", "openai"]);
    expect(Object.keys(await debitSums(demo.poolAccountId, "feature_code"))).toEqual([
      "automation",
      "chat",
      "documents",
      "workspace",
    ]);
    for (const sum of Object.values(byProvider)) expect(sum).toMatch(/^\d+\.\d{6}$/);
    expect(byProvider).toEqual(demo.usageByProvider);
    expect(await debitSums(demo.poolAccountId, "feature_code")).toEqual(demo.usageByFeature);
    expect(Object.keys(await debitSums(muster.poolAccountId, "aicore_provider"))).toEqual(["mistral", "openai"]);
    const debitUsers = await prisma.billingTransaction.groupBy({
      by: ["createdByUserId"],
      where: { accountId: demo.poolAccountId, transactionType: "DEBIT" },
    });
    expect(debitUsers).toHaveLength(3);

    const [facts] = await prisma.$queryRaw<
      { min_at: Date; max_at: Date; bad_cost: bigint; with_errors: bigint; transfers: bigint; debits: string }[]
    >`
      SELECT min(created_at) AS min_at, max(created_at) AS max_at,
             count(*) FILTER (WHERE transaction_type = 'DEBIT' AND provider_cost <> round(amount / 1.5, 6)) AS bad_cost,
             count(*) FILTER (WHERE error_count > 0) AS with_errors,
             count(*) FILTER (WHERE reference_type = 'SYSTEM' AND description LIKE '%bank transfer') AS transfers,
             coalesce(sum(amount) FILTER (WHERE transaction_type = 'DEBIT'), 0)::text AS debits
        FROM billing_transaction
       WHERE account_id = ${demo.poolAccountId}::uuid AND reference_type IS DISTINCT FROM 'SUBSCRIPTION'`;
    expect(facts?.min_at.getTime()).toBe(NOW.getTime() - DAYS * DAY_MS);
    expect(facts?.max_at.getTime()).toBeLessThan(NOW.getTime());
    expect(facts?.bad_cost).toBe(0n);
    expect(facts?.with_errors).toBeGreaterThan(0n);
    expect(facts?.transfers).toBeGreaterThan(0n);
    // The top-ups are bank transfers, not Stripe payments: `npm run reconcile` finds no drift.
    const reconciled = await reconcile({ mandateIds: [demo.mandateId, muster.mandateId], stripe: false });
    expect(reconciled.mandates.flatMap((m) => m.drifts)).toEqual([]);
    const providerTotal = Object.values(byProvider).reduce<Money>((sum, s) => add(sum, s), toMoney("0"));
    expect(toMoneyString(providerTotal)).toBe(facts?.debits);

    // Booked in plan order: each pool row's balance_after is the plan's running balance.
    const plan = planDemoBookings(DEMO_AG_PROFILE, { end: first.end, days: DAYS });
    const rows = await prisma.billingTransaction.findMany({
      // The plan's AI budget, credited by the demo subscription after the history.
      where: { accountId: demo.poolAccountId, NOT: { referenceType: "SUBSCRIPTION" } },
      select: { idempotencyKey: true, balanceAfter: true },
    });
    const expected = plannedBalances(plan);
    expect(rows).toHaveLength(expected.size);
    for (const row of rows)
      expect([row.idempotencyKey, row.balanceAfter.toFixed(6)]).toEqual([
        row.idempotencyKey,
        expected.get(row.idempotencyKey),
      ]);
    // The plan's history, then the Team plan's AI budget of 80 CHF.
    expect(demo.balance).toBe(toMoneyString(add(plan.finalBalance, "80")));

    // The lists follow booking order, which is plan order: read oldest first, each row moves the
    // balance of the row before it, on the pool and on a member's audit account.
    const planKeys = plan.bookings.map((b) => b.idempotencyKey);
    for (const [label, scope] of [
      ["pool", {}],
      ["member", { auditUserId: users.get("member@demo.local")?.id }],
    ] as const) {
      const listed: TransactionItem[] = [];
      for await (const batch of iterateTransactions({ mandateId: demo.mandateId, ...scope, direction: "asc" }))
        listed.push(...batch);
      expect(listed.length, label).toBeGreaterThan(100);
      let balance: Money = toMoney("0");
      for (const row of listed) {
        balance = row.transactionType === "DEBIT" ? sub(balance, row.amount) : add(balance, row.amount);
        expect([label, row.id, row.balanceAfter]).toEqual([label, row.id, toMoneyString(balance)]);
      }
    }
    const poolInBookingOrder = await prisma.billingTransaction.findMany({
      where: { accountId: demo.poolAccountId, NOT: { referenceType: "SUBSCRIPTION" } },
      orderBy: { bookingSequence: "asc" },
      select: { idempotencyKey: true },
    });
    expect(poolInBookingOrder.map((r) => r.idempotencyKey)).toEqual(planKeys);

    // Each member's audit account holds what that member spent.
    const spent = new Map<string, Money>();
    for (const b of plan.bookings) if (b.kind === "usage") spent.set(b.user, add(spent.get(b.user) ?? "0", b.amount));
    for (const [ref, amount] of spent) {
      const audit = await prisma.billingAccount.findFirstOrThrow({
        where: { mandateId: demo.mandateId, user: { email: `${ref}@demo.local` } },
      });
      expect(audit.balance.toFixed(6)).toBe(toMoneyString(sub("0", amount)));
    }

    // The dashboard's statistics read the same usage (roll-up queue included). The queue is shared
    // with every test file booking at the same time, so read past any backlog they left.
    const stats = await getStatistics({
      mandateId: demo.mandateId,
      period: "YEAR",
      year: NOW.getUTCFullYear(),
      pendingReadLimit: 1_000_000_000,
    });
    expect(stats.complete).toBe(true);
    expect(stats.totals.transactionCount).toBe(demo.usageCount);
    expect(stats.totals.byProvider).toEqual(demo.usageByProvider);
    expect(stats.totals.byFeature).toEqual(demo.usageByFeature);

    // Every account holds exactly the sum of its transactions; the pool ends in its range.
    const before = await snapshot();
    for (const account of before.accounts) expect(account.reconciled.balance).toBe(account.reconciled.sum);
    // The history leaves 60–150 CHF; the Team plan's budget adds 80.
    expect(compare(demo.balance, "140")).toBeGreaterThanOrEqual(0);
    expect(compare(demo.balance, "230")).toBeLessThanOrEqual(0);

    // A later run (another `now`) finds the same history and writes nothing.
    const second = await seedDemoData({ log: quiet, now: new Date(NOW.getTime() + 3 * 60 * 60 * 1000), days: DAYS });
    expect(second.end).toEqual(first.end);
    expect(second.mandates.map((m) => m.alreadySeeded)).toEqual([true, true]);
    expect(await snapshot()).toEqual(before);

    // What a run killed midway does on its next start: the bookings already in replay, book nothing.
    const replay = await bookDemoPlan({
      label: "replay",
      mandateId: demo.mandateId,
      poolAccountId: demo.poolAccountId,
      userIds: {
        owner: users.get("owner@demo.local")?.id,
        admin: users.get("admin@demo.local")?.id,
        member: users.get("member@demo.local")?.id,
      },
      bookings: plan.bookings.slice(0, 300),
      batchSize: 100,
      log: quiet,
    });
    expect(replay).toEqual({ booked: 0, replayed: 300 });
    expect(await snapshot()).toEqual(before);
  });

  it("plans the same six months of bookings as always", () => {
    // The demo's figures are documented and shown in screenshots: a change to the planner or its
    // catalogue that moves any key, amount or time shows here first.
    const demo = planDemoBookings(DEMO_AG_PROFILE, { end: NOW, days: DEMO_AG_PROFILE.maxDays });
    expect(demo).toMatchObject({
      usageCount: 20_165,
      creditCount: 7,
      finalBalance: "121.869933",
      usageByProvider: {
        anthropic: "685.939060",
        google: "295.710615",
        mistral: "230.175871",
        openai: "176.304521",
      },
    });
    expect(fingerprint(demo)).toBe("8743cf7dd03137628da804f8f380e1d0d817b9ec4015f52e3cde2cebddf926a8");
    const muster = planDemoBookings(MUSTER_PROFILE, { end: NOW, days: DEMO_AG_PROFILE.maxDays });
    expect(muster).toMatchObject({
      usageCount: 217,
      creditCount: 1,
      finalBalance: "23.217434",
      usageByProvider: { mistral: "25.399619", openai: "1.382947" },
    });
    expect(fingerprint(muster)).toBe("befc267c88f16c95aff2b03cf86ce118f92db6b0e95b894fea6818f6902ee4cb");
  });
});
