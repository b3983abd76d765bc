import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
// More real database concurrency than the default pool of 10; must be set before lib/db/client
// is imported (vi.hoisted runs above the imports, and each test file has its own process).
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "24";
});
import { prisma } from "@/lib/db/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { bookUsage, bookUsageBatch, type UsageEvent } from "@/lib/ledger/book-usage";
import { adjust, credit, debit } from "@/lib/ledger/post-transaction";
import { add, toMoneyString, type Money } from "@/lib/money/money";
import { rollupUsage } from "./rollup-usage";
import { waitForRollup } from "@/testing/wait-for-rollup";

/**
 * usage_statistics must equal the ledger exactly, whatever the concurrency: bookings racing each
 * other and the roll-up, several roll-ups racing each other. The expectation is a GROUP BY over
 * billing_transaction written here independently of the roll-up's SQL (its own time zone
 * arithmetic, its own breakdown), compared as decimal strings.
 */
const WORKERS = 30;
const DEBITS_PER_WORKER = 100;
const PROVIDERS = ["anthropic", "openai", "mistral", null] as const;
const FEATURES = ["chat", "automation", "workspace", null] as const;

/** Instants on both sides of Zurich's day, month and year boundaries, and of both DST switches. */
const BOUNDARIES = [
  "2025-12-31T22:59:59.999Z", // 2025-12-31 23:59:59.999 CET
  "2025-12-31T23:00:00.000Z", // 2026-01-01 00:00 CET
  "2026-03-28T22:59:59.999Z", // 2026-03-28 23:59:59.999 CET
  "2026-03-28T23:00:00.000Z", // 2026-03-29 00:00 CET, the day summer time starts
  "2026-03-29T01:00:00.000Z", // 2026-03-29 03:00 CEST
  "2026-06-30T21:59:59.999Z", // 2026-06-30 23:59:59.999 CEST
  "2026-06-30T22:00:00.000Z", // 2026-07-01 00:00 CEST
  "2026-10-25T00:30:00.000Z", // 2026-10-25 02:30 CEST, the day summer time ends
  "2026-10-31T22:59:59.999Z", // 2026-10-31 23:59:59.999 CET
  "2026-10-31T23:00:00.000Z", // 2026-11-01 00:00 CET
].map((iso) => new Date(iso));

/** Deterministic draws in [0, 1): SHA-256 of seed and counter, so a failing plan can be replayed. */
function seededRandom(seed: number): () => number {
  let counter = 0;
  return () => createHash("sha256").update(`${seed}:${counter++}`).digest().readUInt32BE(0) / 2 ** 32;
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("empty list");
  return item;
}

/** A positive amount as a decimal string, mostly sub-centime. */
function randomAmount(rng: () => number): string {
  const micro = () => String(Math.floor(rng() * 1_000_000)).padStart(6, "0");
  const shape = rng();
  if (shape < 0.5) return `0.00${micro().slice(2)}`.replace(/^0\.0000+$/, "0.000001");
  if (shape < 0.9) return `0.${micro()}`.replace(/^0\.000000$/, "0.000007");
  return `${1 + Math.floor(rng() * 99)}.${micro()}`;
}

interface Aggregate {
  total: string;
  count: number;
  byProvider: Record<string, string>;
  byFeature: Record<string, string>;
  byModel: Record<string, string>;
}

/** "<account>|<period type>|<period start>" → aggregate, as usage_statistics holds it. */
async function statisticsOf(mandateIds: string[]): Promise<Record<string, Aggregate>> {
  const rows = await prisma.$queryRaw<
    {
      key: string;
      total: string;
      count: number;
      by_provider: Record<string, string>;
      by_feature: Record<string, string>;
      by_model: Record<string, string>;
    }[]
  >`
    SELECT s.account_id || '|' || s.period_type || '|' || s.period_start AS key, s.total_cost_chf::text AS total,
           s.transaction_count AS count, s.cost_by_provider AS by_provider, s.cost_by_feature AS by_feature,
           s.cost_by_model AS by_model
      FROM usage_statistics s JOIN billing_account a ON a.id = s.account_id
     WHERE a.mandate_id = ANY(${mandateIds}::uuid[])`;
  return Object.fromEntries(
    rows.map((r) => [
      r.key,
      { total: r.total, count: r.count, byProvider: r.by_provider, byFeature: r.by_feature, byModel: r.by_model },
    ]),
  );
}

/** The same, computed from billing_transaction by a plain GROUP BY. */
async function ledgerAggregates(mandateIds: string[]): Promise<Record<string, Aggregate>> {
  const rows = await prisma.$queryRaw<{ key: string; dim: string; name: string; amount: string; count: number }[]>`
    WITH d AS (
      SELECT account_id, amount, coalesce(aicore_provider, 'unknown') AS provider,
             coalesce(feature_code, 'unknown') AS feature, coalesce(aicore_model, 'unknown') AS model,
             created_at AT TIME ZONE 'Europe/Zurich' AS local_at
        FROM billing_transaction
       WHERE mandate_id = ANY(${mandateIds}::uuid[]) AND transaction_type = 'DEBIT'
    ), per AS (
      SELECT account_id || '|DAY|' || date_trunc('day', local_at)::date AS key, amount, provider, feature, model
        FROM d
      UNION ALL
      SELECT account_id || '|MONTH|' || date_trunc('month', local_at)::date, amount, provider, feature, model FROM d
      UNION ALL
      SELECT account_id || '|YEAR|' || date_trunc('year', local_at)::date, amount, provider, feature, model FROM d
    )
    SELECT key, 'total' AS dim, '' AS name, sum(amount)::text AS amount, count(*)::int AS count FROM per GROUP BY key
    UNION ALL
    SELECT key, 'provider', provider, sum(amount)::text, count(*)::int FROM per GROUP BY key, provider
    UNION ALL
    SELECT key, 'feature', feature, sum(amount)::text, count(*)::int FROM per GROUP BY key, feature
    UNION ALL
    SELECT key, 'model', model, sum(amount)::text, count(*)::int FROM per GROUP BY key, model`;
  const out: Record<string, Aggregate> = {};
  for (const row of rows) {
    const agg = (out[row.key] ??= { total: "", count: 0, byProvider: {}, byFeature: {}, byModel: {} });
    if (row.dim === "total") {
      agg.total = row.amount;
      agg.count = row.count;
    } else if (row.dim === "provider") agg.byProvider[row.name] = row.amount;
    else if (row.dim === "model") agg.byModel[row.name] = row.amount;
    else agg.byFeature[row.name] = row.amount;
  }
  return out;
}

async function queuedCount(mandateIds: string[]): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT coalesce(sum(q.transaction_count), 0)::int AS n
      FROM usage_rollup_queue q JOIN billing_account a ON a.id = q.account_id
     WHERE a.mandate_id = ANY(${mandateIds}::uuid[])`;
  return row?.n ?? 0;
}

/** Debits of the account either still queued or already in its DAY rows, read in one snapshot. */
async function debitsQueuedOrRolledUp(accountId: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT ((SELECT coalesce(sum(transaction_count), 0) FROM usage_rollup_queue WHERE account_id = ${accountId}::uuid)
          + (SELECT coalesce(sum(transaction_count), 0) FROM usage_statistics
              WHERE account_id = ${accountId}::uuid AND period_type = 'DAY'))::int AS n`;
  return row?.n ?? 0;
}

describe("usage roll-up", () => {
  it(`matches the ledger exactly after ${WORKERS} × ${DEBITS_PER_WORKER} concurrent debits and racing roll-ups`, async () => {
    const mandates = await Promise.all([createTestMandate({ balance: "1000" }), createTestMandate({ balance: "5" })]);
    const mandateIds = mandates.map((m) => m.mandateId);
    const rng = seededRandom(20261124);
    const users = (m: TestMandate) => [null, m.ownerId, m.adminId, m.memberId];
    // The plan is drawn up front so that the PRNG order does not depend on the interleaving.
    const plan = Array.from({ length: WORKERS }, (_, w) =>
      Array.from({ length: DEBITS_PER_WORKER }, (_, i) => {
        const m = pick(rng, mandates);
        const roll = rng();
        return {
          m,
          // A quarter goes through the set-based batch booking, in batches spanning both mandates.
          kind: roll < 0.08 ? ("storage" as const) : roll < 0.33 ? ("batched" as const) : ("usage" as const),
          userId: pick(rng, users(m)),
          provider: pick(rng, PROVIDERS),
          feature: pick(rng, FEATURES),
          amount: randomAmount(rng),
          occurredAt: rng() < 0.3 ? pick(rng, BOUNDARIES) : null,
          key: `rollup-${w}-${i}-${randomUUID()}`,
        };
      }),
    );
    type Step = (typeof plan)[number][number];
    const usageEvent = (step: Step): UsageEvent => ({
      mandateId: step.m.mandateId,
      userId: step.userId,
      amount: step.amount,
      idempotencyKey: step.key,
      provider: step.provider,
      model: step.provider ? `${step.provider}-model` : null,
      featureCode: step.feature,
      occurredAt: step.occurredAt,
    });

    // Booked per account ("<mandate>|<user or pool>"), summed with lib/money: a second,
    // independent expectation.
    const booked = new Map<string, Money>();
    const note = (step: Step, amount: string) => {
      for (const account of [
        `${step.m.mandateId}|pool`,
        ...(step.userId ? [`${step.m.mandateId}|${step.userId}`] : []),
      ])
        if (step.kind !== "storage" || account.endsWith("|pool"))
          booked.set(account, add(booked.get(account) ?? "0", amount));
    };

    let loading = true;
    const rollupWhileLoading = async () => {
      while (loading) {
        await rollupUsage({ batchSize: 97 });
        // Yield to the bookings between passes (no wait on the clock): the result must be the same
        // however many roll-ups ran during the load.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const rollers = [rollupWhileLoading(), rollupWhileLoading()];
    await Promise.all(
      plan.map(async (steps, w) => {
        let batch: Step[] = [];
        const flush = async () => {
          const outcomes = await bookUsageBatch(batch.map(usageEvent));
          expect(outcomes.map((o) => o.status)).toEqual(batch.map(() => "booked"));
          batch.forEach((step) => note(step, step.amount));
          batch = [];
        };
        for (const [i, step] of steps.entries()) {
          if (step.kind === "storage") {
            const b = await debit({
              accountId: step.m.poolAccountId,
              amount: step.amount,
              idempotencyKey: step.key,
              description: "storage overage",
              referenceType: "STORAGE",
              occurredAt: step.occurredAt,
            });
            note(step, b.amount);
          } else if (step.kind === "batched") {
            batch.push(step);
            if (batch.length === 6) await flush();
          } else {
            const b = await bookUsage(usageEvent(step));
            note(step, b.pool.amount);
          }
          // Credits and adjustments between the debits: they must not count.
          if (i % 25 === 0) {
            await credit({
              accountId: step.m.poolAccountId,
              amount: "3.000001",
              idempotencyKey: `top-up-${w}-${i}-${randomUUID()}`,
              description: "top-up",
              referenceType: "SYSTEM",
            });
            await adjust({
              accountId: step.m.poolAccountId,
              amount: "-0.000003",
              idempotencyKey: `adjust-${w}-${i}-${randomUUID()}`,
              reason: "correction",
              createdByUserId: step.m.adminId,
            });
          }
        }
        if (batch.length > 0) await flush();
      }),
    );
    loading = false;
    await Promise.all(rollers);
    // Two final roll-ups at once, then until nothing of ours is queued (other test files' servers
    // run roll-ups too, and may hold some of our entries for a moment).
    await Promise.all([rollupUsage({ batchSize: 211 }), rollupUsage({ batchSize: 211 })]);
    await waitForRollup(mandateIds);
    expect(await queuedCount(mandateIds)).toBe(0);

    const expected = await ledgerAggregates(mandateIds);
    const actual = await statisticsOf(mandateIds);
    expect(actual).toEqual(expected);

    // The load was what was asked for, and the GROUP BY saw exactly what the test booked.
    const accounts = await prisma.billingAccount.findMany({ where: { mandateId: { in: mandateIds } } });
    const accountKey = new Map(accounts.map((a) => [a.id, `${a.mandateId}|${a.userId ?? "pool"}`]));
    const yearRows = Object.entries(actual).filter(([key]) => key.includes("|YEAR|"));
    const perAccount = new Map<string, { total: Money | string; count: number }>();
    for (const [key, agg] of yearRows) {
      const account = accountKey.get(key.split("|")[0] ?? "") ?? "?";
      const sum = perAccount.get(account) ?? { total: "0", count: 0 };
      perAccount.set(account, { total: add(sum.total, agg.total), count: sum.count + agg.count });
    }
    const poolCount = mandateIds.reduce((n, id) => n + (perAccount.get(`${id}|pool`)?.count ?? 0), 0);
    expect(poolCount).toBe(WORKERS * DEBITS_PER_WORKER);
    expect(plan.flat().filter((step) => step.kind === "batched").length).toBeGreaterThan(500);
    expect(new Set(perAccount.keys())).toEqual(new Set(booked.keys()));
    for (const [account, sum] of booked) {
      expect(toMoneyString(perAccount.get(account)?.total ?? "0"), account).toBe(toMoneyString(sum));
    }
    // Every period type and both sides of the boundaries were exercised.
    for (const period of ["DAY", "MONTH", "YEAR"]) {
      expect(Object.keys(actual).some((key) => key.includes(`|${period}|`))).toBe(true);
    }
    expect(Object.keys(actual).filter((key) => key.includes("|YEAR|")).length).toBeGreaterThanOrEqual(2 * 2);

    // Rolling up again changes nothing: not a value, not even updated_at.
    const snapshot = await prisma.usageStatistics.findMany({
      where: { account: { mandateId: { in: mandateIds } } },
      orderBy: { id: "asc" },
    });
    await rollupUsage();
    await waitForRollup(mandateIds);
    expect(
      await prisma.usageStatistics.findMany({
        where: { account: { mandateId: { in: mandateIds } } },
        orderBy: { id: "asc" },
      }),
    ).toEqual(snapshot);
  }, 300_000);

  it("puts each debit in the day, month and year of Zurich's calendar", async () => {
    const m = await createTestMandate({ balance: "100" });
    const at = async (iso: string, amount: string, provider: string | null, featureCode: string | null) =>
      bookUsage({
        mandateId: m.mandateId,
        amount,
        provider,
        featureCode,
        idempotencyKey: randomUUID(),
        occurredAt: new Date(iso),
      });
    await at("2025-12-31T22:59:59.999Z", "0.000001", "anthropic", "chat");
    await at("2025-12-31T23:00:00.000Z", "0.000010", "anthropic", null);
    await at("2026-03-28T23:30:00.000Z", "0.000100", "openai", "chat"); // 29 March 00:30 CET
    await at("2026-03-29T01:30:00.000Z", "0.001000", "openai", "chat"); // 29 March 03:30 CEST
    await at("2026-06-30T22:00:00.000Z", "0.010000", null, "automation"); // 1 July 00:00 CEST
    await at("2026-10-31T22:59:59.999Z", "0.100000", "openai", "automation"); // 31 October 23:59 CET
    await waitForRollup([m.mandateId]);

    const rows = await prisma.usageStatistics.findMany({ where: { accountId: m.poolAccountId } });
    const table = Object.fromEntries(
      rows.map((r) => [
        `${r.periodType} ${r.periodStart.toISOString().slice(0, 10)}`,
        [toMoneyString(r.totalCostCHF), r.transactionCount, r.costByProvider, r.costByFeature],
      ]),
    );
    expect(table).toEqual({
      "DAY 2025-12-31": ["0.000001", 1, { anthropic: "0.000001" }, { chat: "0.000001" }],
      "DAY 2026-01-01": ["0.000010", 1, { anthropic: "0.000010" }, { unknown: "0.000010" }],
      "DAY 2026-03-29": ["0.001100", 2, { openai: "0.001100" }, { chat: "0.001100" }],
      "DAY 2026-07-01": ["0.010000", 1, { unknown: "0.010000" }, { automation: "0.010000" }],
      "DAY 2026-10-31": ["0.100000", 1, { openai: "0.100000" }, { automation: "0.100000" }],
      "MONTH 2025-12-01": ["0.000001", 1, { anthropic: "0.000001" }, { chat: "0.000001" }],
      "MONTH 2026-01-01": ["0.000010", 1, { anthropic: "0.000010" }, { unknown: "0.000010" }],
      "MONTH 2026-03-01": ["0.001100", 2, { openai: "0.001100" }, { chat: "0.001100" }],
      "MONTH 2026-07-01": ["0.010000", 1, { unknown: "0.010000" }, { automation: "0.010000" }],
      "MONTH 2026-10-01": ["0.100000", 1, { openai: "0.100000" }, { automation: "0.100000" }],
      "YEAR 2025-01-01": ["0.000001", 1, { anthropic: "0.000001" }, { chat: "0.000001" }],
      "YEAR 2026-01-01": [
        "0.111110",
        5,
        { anthropic: "0.000010", openai: "0.101100", unknown: "0.010000" },
        { automation: "0.110000", chat: "0.001100", unknown: "0.000010" },
      ],
    });
  });

  it("counts debits only: credits and adjustments never reach the queue or the statistics", async () => {
    const m = await createTestMandate({ balance: "10" });
    const base = { accountId: m.poolAccountId, description: "not usage" };
    await Promise.all([
      credit({ ...base, amount: "5", idempotencyKey: randomUUID(), referenceType: "SYSTEM" }),
      adjust({ ...base, amount: "-1.5", idempotencyKey: randomUUID(), reason: "fix", createdByUserId: m.ownerId }),
      adjust({ ...base, amount: "2", idempotencyKey: randomUUID(), reason: "fix", createdByUserId: m.ownerId }),
    ]);
    expect(await debitsQueuedOrRolledUp(m.poolAccountId)).toBe(0);
    await debit({ ...base, amount: "0.25", idempotencyKey: randomUUID(), referenceType: "STORAGE" });
    expect(await debitsQueuedOrRolledUp(m.poolAccountId)).toBe(1);

    await waitForRollup([m.mandateId]);
    const rows = await prisma.usageStatistics.findMany({ where: { account: { mandateId: m.mandateId } } });
    expect(rows.map((r) => [r.periodType, toMoneyString(r.totalCostCHF), r.transactionCount])).toEqual(
      expect.arrayContaining([
        ["DAY", "0.250000", 1],
        ["MONTH", "0.250000", 1],
        ["YEAR", "0.250000", 1],
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]?.costByProvider).toEqual({ unknown: "0.250000" });
  });

  it("a replayed booking is queued once and counted once", async () => {
    const m = await createTestMandate({ balance: "10" });
    const event = { mandateId: m.mandateId, userId: m.memberId, amount: "0.123456", idempotencyKey: randomUUID() };
    const results = await Promise.all([bookUsage(event), bookUsage(event), bookUsage(event)]);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    await waitForRollup([m.mandateId]);
    const rows = await prisma.usageStatistics.findMany({
      where: { account: { mandateId: m.mandateId }, periodType: "YEAR" },
    });
    expect(rows.map((r) => [toMoneyString(r.totalCostCHF), r.transactionCount])).toEqual([
      ["0.123456", 1],
      ["0.123456", 1],
    ]);
  });
});
