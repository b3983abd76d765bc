import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";

// More real database concurrency than the default pool of 10; must be set before lib/db/client
// is imported (vi.hoisted runs above the imports, and each test file has its own process).
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "24";
});

import { prisma } from "@/lib/db/client";
import { createTestMandate, type TestMandate } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { Money, add, parseMoney, sub, toMoneyString } from "@/lib/money/money";
import { reconcileAccount } from "./accounts";
import { bookUsage } from "./book-usage";
import { adjust, credit, debit } from "./post-transaction";
import type { Booking } from "./types";

/**
 * Many workers booking on the same few accounts at once, a share of them retrying keys
 * already used (sometimes while the first call is still in flight). The plan comes from a
 * seeded PRNG (LEDGER_TEST_SEED to replay another one); the expected balances are computed
 * here, independently, with exact decimals, and compared with what PostgreSQL holds.
 * One file over the usual length on purpose: the plan, the model of the expected state and
 * the checks against the database only make sense read together.
 */
const SEED = Number(process.env.LEDGER_TEST_SEED ?? 20261124);
const WORKERS = 50;
const STEPS_PER_WORKER = 200;
const REPLAY_SHARE = 0.15;
const DOUBLE_SHARE = 0.03;
const MANDATES = 3;

type Role = "owner" | "admin" | "member";
type OpBase = { key: string; mandate: number; amount: string };
type Op =
  | (OpBase & { kind: "credit" })
  | (OpBase & { kind: "debit" })
  | (OpBase & { kind: "usage"; user: Role | null; provider: string; model: string })
  | (OpBase & { kind: "adjust"; by: "owner" | "admin" });
/** fresh: first use of a key; replay: an op planned earlier, sent again; double: sent twice at once. */
type Step = { op: Op; mode: "fresh" | "replay" | "double" };
interface Call {
  op: Op;
  pool: Booking;
  audit: Booking | null;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random amount built as a decimal string (no float ever holds it), often sub-centime. */
function randomAmount(rng: () => number): string {
  const pick = (n: number) => Math.floor(rng() * n);
  const digits = (n: number) => Array.from({ length: n }, () => String(pick(10))).join("");
  const shape = pick(6);
  const text =
    shape === 0
      ? "0.000012"
      : shape === 1
        ? `0.0000${digits(2)}`
        : shape === 2
          ? `0.${digits(6)}`
          : shape === 3
            ? `${1 + pick(9)}.${digits(2)}`
            : shape === 4
              ? `${1 + pick(9)}${digits(2)}.${digits(1 + pick(6))}`
              : `${pick(10)}.${digits(pick(7))}`.replace(/\.$/, "");
  return parseMoney(text).isZero() ? "0.000001" : text;
}

function randomOp(rng: () => number, key: string): Op {
  const mandate = Math.floor(rng() * MANDATES);
  const amount = randomAmount(rng);
  const roll = rng();
  if (roll < 0.2) return { kind: "credit", key, mandate, amount };
  if (roll < 0.35) return { kind: "debit", key, mandate, amount };
  if (roll < 0.85) {
    const users: (Role | null)[] = [null, "owner", "admin", "member"];
    const user = users[Math.floor(rng() * users.length)] ?? null;
    return { kind: "usage", key, mandate, amount, user, provider: rng() < 0.5 ? "openai" : "anthropic", model: "m-1" };
  }
  return {
    kind: "adjust",
    key,
    mandate,
    amount: rng() < 0.5 ? `-${amount}` : amount,
    by: rng() < 0.5 ? "owner" : "admin",
  };
}

/** Round-robin over workers, so a replay often targets another worker's op that may be in flight. */
function makePlan(seed: number): Step[][] {
  const rng = mulberry32(seed);
  const plan: Step[][] = Array.from({ length: WORKERS }, () => []);
  const planned: Op[] = [];
  for (let step = 0; step < STEPS_PER_WORKER; step++) {
    for (let w = 0; w < WORKERS; w++) {
      const roll = rng();
      if (planned.length > 0 && roll < REPLAY_SHARE) {
        // A third of the replays aim at recent ops, likely still being booked by another worker.
        const from = rng() < 0.33 ? Math.max(0, planned.length - 2 * WORKERS) : 0;
        const op = planned[from + Math.floor(rng() * (planned.length - from))];
        if (op) plan[w]?.push({ op, mode: "replay" });
        continue;
      }
      const op = randomOp(rng, `fuzz-${seed}-${w}-${step}`);
      planned.push(op);
      plan[w]?.push({ op, mode: roll < REPLAY_SHARE + DOUBLE_SHARE ? "double" : "fresh" });
    }
  }
  return plan;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function userOf(m: TestMandate, role: Role): string {
  return role === "owner" ? m.ownerId : role === "admin" ? m.adminId : m.memberId;
}

function mandateOf(mandates: TestMandate[], op: Op): TestMandate {
  const m = mandates[op.mandate];
  if (!m) throw new Error(`no mandate ${op.mandate}`);
  return m;
}

async function perform(mandates: TestMandate[], op: Op): Promise<Call> {
  const m = mandateOf(mandates, op);
  const base = { accountId: m.poolAccountId, amount: op.amount, idempotencyKey: op.key };
  switch (op.kind) {
    case "credit":
      return { op, pool: await credit({ ...base, description: "top-up", referenceType: "SYSTEM" }), audit: null };
    case "debit":
      return { op, pool: await debit({ ...base, description: "storage", referenceType: "STORAGE" }), audit: null };
    case "adjust":
      return {
        op,
        pool: await adjust({ ...base, reason: "correction", createdByUserId: userOf(m, op.by) }),
        audit: null,
      };
    case "usage": {
      const booked = await bookUsage({
        mandateId: m.mandateId,
        userId: op.user ? userOf(m, op.user) : null,
        amount: op.amount,
        idempotencyKey: op.key,
        provider: op.provider,
        model: op.model,
      });
      return { op, pool: booked.pool, audit: booked.audit };
    }
  }
}

/** What each op does to each account it touches, as "<mandate>:<pool|role>" → signed delta. */
function effects(op: Op): [string, Money][] {
  const amount = parseMoney(op.amount, { signed: op.kind === "adjust" });
  const pool = `${op.mandate}:pool`;
  switch (op.kind) {
    case "credit":
    case "adjust":
      return [[pool, amount]];
    case "debit":
      return [[pool, amount.negated()]];
    case "usage":
      return op.user
        ? [
            [pool, amount.negated()],
            [`${op.mandate}:${op.user}`, amount.negated()],
          ]
        : [[pool, amount.negated()]];
  }
}

describe(`${WORKERS} workers on ${MANDATES} mandates (seed ${SEED})`, () => {
  let mandates: TestMandate[] = [];
  beforeAll(async () => {
    mandates = await Promise.all(Array.from({ length: MANDATES }, () => createTestMandate()));
  });

  it("books every distinct key exactly once and keeps every balance exact", async () => {
    const started = performance.now();
    const plan = makePlan(SEED);
    const calls: Call[] = [];
    await Promise.all(
      plan.map(async (steps) => {
        for (const { op, mode } of steps) {
          if (mode === "double") calls.push(...(await Promise.all([perform(mandates, op), perform(mandates, op)])));
          else calls.push(await perform(mandates, op));
        }
      }),
    );
    const elapsed = Math.round(performance.now() - started);

    // The run was what was asked for: enough calls, enough of them reusing a key.
    const distinct = new Map<string, Op>();
    for (const { op } of calls) distinct.set(op.key, op);
    expect(calls.length).toBeGreaterThanOrEqual(10_000);
    expect((calls.length - distinct.size) / calls.length).toBeGreaterThan(0.15);
    expect(new Set(calls.map((c) => c.op.kind))).toEqual(new Set(["credit", "debit", "usage", "adjust"]));

    // Per key: exactly one call booked, every other call replayed that very booking.
    const byKey = new Map<string, Call[]>();
    for (const c of calls) pushTo(byKey, c.op.key, c);
    for (const [key, group] of byKey) {
      const first = group[0];
      if (!first) continue;
      expect(
        group.filter((c) => !c.pool.replayed),
        key,
      ).toHaveLength(1);
      for (const c of group) {
        expect(c.pool, key).toEqual({ ...first.pool, replayed: c.pool.replayed });
        expect(c.audit?.transactionId ?? null, key).toBe(first.audit?.transactionId ?? null);
        expect(c.audit?.replayed ?? c.pool.replayed, key).toBe(c.pool.replayed);
      }
    }

    // Expected state, from the plan alone: balance and key set per account.
    const expectedBalance = new Map<string, Money>();
    const expectedKeys = new Map<string, string[]>();
    for (const op of distinct.values()) {
      for (const [account, delta] of effects(op)) {
        expectedBalance.set(account, add(expectedBalance.get(account) ?? "0", delta));
        pushTo(expectedKeys, account, op.key);
      }
    }

    const mandateIds = mandates.map((m) => m.mandateId);
    const accounts = await prisma.billingAccount.findMany({ where: { mandateId: { in: mandateIds } } });
    const labelOf = (a: (typeof accounts)[number]): string => {
      const index = mandateIds.indexOf(a.mandateId);
      const m = mandates[index];
      if (!m || a.userId === null) return `${index}:pool`;
      const role = (["owner", "admin", "member"] as const).find((r) => userOf(m, r) === a.userId);
      return `${index}:${role ?? a.userId}`;
    };
    const idOf = new Map(accounts.map((a) => [labelOf(a), a.id]));
    expect([...idOf.keys()].sort()).toEqual([...expectedBalance.keys()].sort());

    for (const [label, balance] of expectedBalance) {
      const id = idOf.get(label) ?? "";
      const reconciled = await reconcileAccount(id);
      expect(reconciled.balance, label).toBe(reconciled.sum);
      expect(reconciled.balance, label).toBe(toMoneyString(balance));
      expect(reconciled.count, label).toBe(expectedKeys.get(label)?.length);
    }

    // Each key exactly once per account, and exactly the keys the workers used.
    const perKey = await prisma.$queryRaw<{ account_id: string; idempotency_key: string; n: number }[]>`
      SELECT account_id::text, idempotency_key, count(*)::int AS n
        FROM billing_transaction WHERE mandate_id = ANY(${mandateIds}::uuid[])
       GROUP BY account_id, idempotency_key`;
    expect(perKey.filter((r) => r.n !== 1)).toEqual([]);
    for (const [label, keys] of expectedKeys) {
      const stored = perKey.filter((r) => r.account_id === idOf.get(label)).map((r) => r.idempotency_key);
      expect(stored.sort(), label).toEqual([...keys].sort());
    }
    const [{ rows } = { rows: -1 }] = await prisma.$queryRaw<{ rows: number }[]>`
      SELECT count(*)::int AS rows FROM billing_transaction WHERE mandate_id = ANY(${mandateIds}::uuid[])`;
    const expectedRows = [...expectedKeys.values()].reduce((n, keys) => n + keys.length, 0);
    expect(rows).toBe(expectedRows);
    expect(new Set(perKey.map((r) => r.idempotency_key)).size).toBe(distinct.size);

    // Every stored row carries the type and exact amount its op asked for.
    const stored = await prisma.$queryRaw<{ key: string; type: string; amount: string }[]>`
      SELECT idempotency_key AS key, transaction_type::text AS type, amount::text AS amount
        FROM billing_transaction WHERE mandate_id = ANY(${mandateIds}::uuid[])`;
    const typeOf = { credit: "CREDIT", debit: "DEBIT", usage: "DEBIT", adjust: "ADJUSTMENT" } as const;
    for (const row of stored) {
      const op = distinct.get(row.key);
      expect(op, row.key).toBeDefined();
      if (!op) continue;
      expect([row.type, row.amount], row.key).toEqual([
        typeOf[op.kind],
        toMoneyString(parseMoney(op.amount, { signed: op.kind === "adjust" })),
      ]);
    }

    console.info(
      `ledger concurrency: ${calls.length} calls, ${distinct.size} distinct keys, ${expectedRows} rows, ` +
        `${WORKERS} workers, pool ${process.env.DATABASE_POOL_SIZE}, ${elapsed} ms (seed ${SEED})`,
    );
  });
});

describe("concurrent bookings on one account", () => {
  it("200 concurrent usage debits of 0.000001 all land, none lost, the pool going negative", async () => {
    const m = await createTestMandate({ balance: "0.0001" });
    const users = [null, m.ownerId, m.adminId, m.memberId];
    const booked = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        bookUsage({ mandateId: m.mandateId, userId: users[i % 4], amount: "0.000001", idempotencyKey: `u-${i}` }),
      ),
    );

    expect(booked.every((b) => !b.replayed)).toBe(true);
    // Serialised on the row lock, the 200 bookings saw 200 different balances: 0.000099 down to -0.000100.
    const expectedAfter: string[] = [];
    for (let balance = parseMoney("0.0001"), i = 0; i < 200; i++) {
      balance = sub(balance, "0.000001");
      expectedAfter.push(toMoneyString(balance));
    }
    expect(booked.map((b) => b.pool.balanceAfter).sort()).toEqual(expectedAfter.sort());
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "-0.000100", sum: "-0.000100", count: 201 });

    // The audit accounts were created concurrently on first use: one per user, 50 bookings each.
    for (const userId of [m.ownerId, m.adminId, m.memberId]) {
      const accounts = await prisma.billingAccount.findMany({ where: { mandateId: m.mandateId, userId } });
      expect(accounts).toHaveLength(1);
      expect(await reconcileAccount(accounts[0]?.id ?? "")).toEqual({
        balance: "-0.000050",
        sum: "-0.000050",
        count: 50,
      });
    }
  });

  it("20 identical retries at once book one credit, and all carry its transactionId", async () => {
    const m = await createTestMandate();
    const retry = {
      accountId: m.poolAccountId,
      amount: "0.000012",
      idempotencyKey: randomUUID(),
      description: "top-up",
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => credit(retry)));

    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.transactionId)).size).toBe(1);
    expect(new Set(results.map((r) => r.balanceAfter))).toEqual(new Set(["0.000012"]));
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "0.000012", sum: "0.000012", count: 1 });
  });

  it("20 identical usage retries at once book once on the pool and once on the audit account", async () => {
    const m = await createTestMandate({ balance: "1" });
    const event = { mandateId: m.mandateId, userId: m.memberId, amount: "0.000012", idempotencyKey: randomUUID() };
    const results = await Promise.all(Array.from({ length: 20 }, () => bookUsage(event)));

    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.pool.transactionId)).size).toBe(1);
    expect(new Set(results.map((r) => r.audit?.transactionId)).size).toBe(1);
    expect(results.every((r) => r.audit?.replayed === r.replayed)).toBe(true);
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: "0.999988", sum: "0.999988", count: 2 });
    const audit = results[0]?.audit?.accountId ?? "";
    expect(await reconcileAccount(audit)).toEqual({ balance: "-0.000012", sum: "-0.000012", count: 1 });
  });

  it("20 racing calls with one key and different amounts: one books, the rest conflict", async () => {
    const m = await createTestMandate();
    const key = randomUUID();
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        credit({ accountId: m.poolAccountId, amount: `0.0000${10 + i}`, idempotencyKey: key, description: "top-up" }),
      ),
    );

    const booked = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const refused = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
    expect(booked).toHaveLength(1);
    expect(refused.every((err) => isDomainError(err, "IDEMPOTENCY_CONFLICT"))).toBe(true);
    const winner = booked[0]?.amount ?? "";
    expect(await reconcileAccount(m.poolAccountId)).toEqual({ balance: winner, sum: winner, count: 1 });
  });
});
