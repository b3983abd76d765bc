import type { LedgerWording } from "@/lib/ledger/wording";
import {
  add,
  compare,
  max,
  mulRate,
  roundForPosting,
  sub,
  toMoney,
  toMoneyString,
  type Money,
} from "@/lib/money/money";
import { createRandom, type Random } from "./create-random";
import {
  DEMO_FEATURES,
  DEMO_MODELS,
  GROWTH_HORIZON_DAYS,
  type DemoFeature,
  type DemoModelName,
  type DemoUsageProfile,
  type DemoUserRef,
} from "./demo-catalogue";

/**
 * Plans a mandate's whole demo history in memory before anything is booked: the events, and
 * the top-ups the running pool balance calls for. The plan (and so every amount and
 * idempotency key) depends only on the profile and the time window, so a re-run plans the
 * same bookings and the ledger replays them instead of booking twice.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** The platform's default markup is 50%: what the provider charged us is the price / 1.5. */
const MARKUP_FACTOR = "1.5";
const ONE_MILLION = "1000000";
/** Smallest price whose provider cost still rounds to a bookable (non-zero) micro-franc. */
const MIN_PRICE = "0.000002";
/** Key of a mandate's first booking, the initial credit; its time is where the history starts. */
export const INITIAL_CREDIT_KEY = "demo:credit:initial";

export interface PlannedUsage {
  kind: "usage";
  idempotencyKey: string;
  occurredAt: Date;
  user: DemoUserRef;
  /** Decimal strings with six decimals. */
  amount: string;
  providerCost: string;
  provider: string;
  model: string;
  featureCode: string;
  featureInstanceId: string;
  workflowId: string;
  /** Seconds, three decimals. */
  processingTime: string;
  bytesSent: number;
  bytesReceived: number;
  errorCount: number;
}

export interface PlannedCredit {
  kind: "credit";
  idempotencyKey: string;
  occurredAt: Date;
  amount: string;
  referenceType: "SYSTEM";
  referenceId: string | null;
  wording: LedgerWording;
  paidBy: DemoUserRef | null;
}

export type PlannedBooking = PlannedUsage | PlannedCredit;

export interface DemoPlan {
  /** In time order; the first is the initial credit, whose time anchors the history (see seed-demo). */
  bookings: PlannedBooking[];
  usageCount: number;
  creditCount: number;
  finalBalance: string;
  usageByProvider: Record<string, string>;
  usageByFeature: Record<string, string>;
}

/** Plans the history between `end - days` and `end`. Same inputs, same plan. */
export function planDemoBookings(profile: DemoUsageProfile, window: { end: Date; days: number }): DemoPlan {
  const days = Math.min(window.days, profile.maxDays);
  const end = window.end.getTime();
  const start = end - days * DAY_MS;
  const random = createRandom(profile.seed);
  const usage = planUsage(profile, random, start, end);
  const bookings = addCredits(profile, random, usage, start);
  const totals = (field: "provider" | "featureCode"): Record<string, string> => {
    const sums = new Map<string, Money>();
    for (const u of usage) sums.set(u[field], add(sums.get(u[field]) ?? "0", u.amount));
    return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, toMoneyString(v)]));
  };
  return {
    bookings,
    usageCount: usage.length,
    creditCount: bookings.length - usage.length,
    finalBalance: toMoneyString(balanceAfterAll(bookings)),
    usageByProvider: totals("provider"),
    usageByFeature: totals("featureCode"),
  };
}

function planUsage(profile: DemoUsageProfile, random: Random, start: number, end: number): PlannedUsage[] {
  const calls: Omit<PlannedUsage, "idempotencyKey">[] = [];
  const lastDay = startOfUtcDay(end);
  // Whole UTC days, so weekdays are weekdays; calls outside the window are drawn and dropped,
  // which keeps the draws (and so the plan) independent of where the window's edges fall.
  for (let day = startOfUtcDay(start); day <= lastDay; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const daysBeforeEnd = (lastDay - day) / DAY_MS;
    const progress = Math.max(0, 1 - daysBeforeEnd / GROWTH_HORIZON_DAYS);
    const growth = profile.growthFrom + (profile.growthTo - profile.growthFrom) * progress;
    const busyDay = random.next() < 0.05 ? 1.6 : 1;
    const base = weekend ? profile.weekendCalls : profile.weekdayCalls;
    const count = Math.round(base * growth * busyDay * (0.85 + 0.3 * random.next()));
    for (let i = 0; i < count; i++) {
      const call = planCall(profile, random, day, weekend);
      const at = call.occurredAt.getTime();
      if (at > start && at < end) calls.push(call);
    }
  }
  // Stable sort: calls in the same millisecond keep their drawing order.
  calls.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return calls.map((call, i) => ({ ...call, idempotencyKey: `demo:usage:${i + 1}` }));
}

function planCall(
  profile: DemoUsageProfile,
  random: Random,
  day: number,
  weekend: boolean,
): Omit<PlannedUsage, "idempotencyKey"> {
  const feature = DEMO_FEATURES[random.weighted(profile.features)];
  const modelName = random.weighted(modelsFor(feature, profile));
  const model = DEMO_MODELS[modelName];
  const instance = random.pick(feature.instances);
  const workflowId = random.pick(instance.workflowIds);
  const user = random.weighted(profile.users);
  const inputTokens = logNormalInt(random, feature.inputMedian, feature.inputSigma, 50, 400_000);
  const outputTokens = logNormalInt(random, feature.outputMedian, feature.outputSigma, 10, 16_000);
  const occurredAt = new Date(day + timeOfDayMs(random, feature, weekend));

  const price = max(
    add(
      mulRate(String(inputTokens), perToken(model.inputPerMillion)),
      mulRate(String(outputTokens), perToken(model.outputPerMillion)),
    ),
    MIN_PRICE,
  );
  // Division is exact in decimal (40 digits); the posting rule then rounds half-even to six.
  const providerCost = roundForPosting(price.dividedBy(MARKUP_FACTOR));

  const latencyMs = Math.round(
    (250 + inputTokens / 20 + (outputTokens * 1000) / model.outputTokensPerSecond) * (0.7 + 0.7 * random.next()),
  );
  const failed = random.next() < 0.02;
  return {
    kind: "usage",
    occurredAt,
    user,
    amount: toMoneyString(price),
    providerCost: toMoneyString(providerCost),
    provider: model.provider,
    model: model.model,
    featureCode: feature.code,
    featureInstanceId: instance.featureInstanceId,
    workflowId,
    processingTime: `${Math.floor(latencyMs / 1000)}.${String(latencyMs % 1000).padStart(3, "0")}`,
    // Roughly four bytes per token plus the request and response envelopes.
    bytesSent: inputTokens * 4 + random.int(300, 900),
    bytesReceived: outputTokens * 4 + random.int(400, 1200),
    // A failed attempt was retried by the gateway; the call that finally succeeded is what is billed.
    errorCount: failed ? random.int(1, 3) : 0,
  };
}

/**
 * Inserts the initial credit and the top-ups a real owner would have made: one just before a
 * call would take the pool below `topUpBelow`. They are bank transfers (SYSTEM credits): a PAYMENT
 * credit belongs to a Stripe payment row, and reconciliation reports one without it. The last
 * credit is then resized so the history ends inside the profile's final range; after it the
 * balance only falls, so resizing cannot push any later balance below the final one.
 */
function addCredits(profile: DemoUsageProfile, random: Random, usage: PlannedUsage[], start: number): PlannedBooking[] {
  const credits: PlannedCredit[] = [
    {
      kind: "credit",
      idempotencyKey: INITIAL_CREDIT_KEY,
      occurredAt: new Date(start),
      amount: toMoneyString(profile.initialCredit),
      referenceType: "SYSTEM",
      referenceId: null,
      wording: { key: "welcomeCredit" },
      paidBy: null,
    },
  ];
  const bookings: PlannedBooking[] = [...credits];
  let balance = toMoney(profile.initialCredit);
  let previousAt = start;
  for (const call of usage) {
    const at = call.occurredAt.getTime();
    if (compare(sub(balance, call.amount), profile.topUpBelow) < 0) {
      const amount = random.weighted(profile.topUpAmounts);
      const n = credits.length;
      const topUp: PlannedCredit = {
        kind: "credit",
        idempotencyKey: `demo:topup:${n}`,
        occurredAt: new Date(previousAt + Math.floor((at - previousAt) / 2)),
        amount: toMoneyString(amount),
        referenceType: "SYSTEM",
        referenceId: `bank-transfer-${profile.seed}-${String(n).padStart(3, "0")}`,
        wording: { key: "bankTransfer" },
        paidBy: profile.payer,
      };
      credits.push(topUp);
      bookings.push(topUp);
      balance = add(balance, amount);
    }
    bookings.push(call);
    balance = sub(balance, call.amount);
    previousAt = at;
  }

  const share = `0.${String(random.int(20, 80))}`;
  const target = add(profile.finalBalanceMin, mulRate(sub(profile.finalBalanceMax, profile.finalBalanceMin), share));
  const outOfRange = compare(balance, profile.finalBalanceMin) < 0 || compare(balance, profile.finalBalanceMax) > 0;
  const last = credits.at(-1);
  if (outOfRange && last) {
    // Whole tens of francs, as a person would pay; the final balance lands within 5 CHF of the target.
    const resized = add(last.amount, sub(target, balance)).dividedBy(10).toDecimalPlaces(0).times(10);
    if (compare(resized, "0") <= 0) throw new Error(`demo plan for ${profile.seed}: cannot reach the final balance`);
    last.amount = toMoneyString(resized);
  }
  return bookings;
}

function balanceAfterAll(bookings: readonly PlannedBooking[]): Money {
  return bookings.reduce<Money>(
    (balance, b) => (b.kind === "credit" ? add(balance, b.amount) : sub(balance, b.amount)),
    toMoney("0"),
  );
}

function modelsFor(feature: DemoFeature, profile: DemoUsageProfile): (readonly [DemoModelName, number])[] {
  const models = feature.models.filter(([name]) => profile.providers.includes(DEMO_MODELS[name].provider));
  if (models.length === 0) throw new Error(`demo profile ${profile.seed}: no model for ${feature.code}`);
  return models;
}

/** CHF per token, exact: a per-million price divided by a power of ten. */
function perToken(perMillion: string): Money {
  return toMoney(perMillion).dividedBy(ONE_MILLION);
}

function logNormalInt(random: Random, median: number, sigma: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * random.normal()))));
}

/** Office hours (UTC 6-18, peaking around noon) for people; scheduled runs at night for the rest. */
function timeOfDayMs(random: Random, feature: DemoFeature, weekend: boolean): number {
  if (random.next() < feature.nightShare) return Math.floor((1 + 4 * random.next()) * HOUR_MS);
  const spread = weekend ? (random.next() + random.next()) / 2 : (random.next() + random.next() + random.next()) / 3;
  return Math.floor((6 + 12 * spread) * HOUR_MS);
}

function startOfUtcDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}
