import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";

/**
 * How far a usage event's occurredAt may lie from the time it is booked. The statistics count a
 * debit in the Zurich day, month and year of its call time, so a call reported weeks late would
 * rewrite a month already closed and invoiced; one reported far ahead would count in a period
 * not yet begun. The gateway books within seconds, and retries within hours; a week back covers
 * an outage, and five minutes ahead covers clocks that drift.
 */
export interface OccurredAtWindow {
  /** How long ago a call may have happened, in hours. */
  maxAgeHours: number;
  /** How far ahead of the server's clock a call time may be, in seconds. */
  maxAheadSeconds: number;
}

export const DEFAULT_OCCURRED_AT_WINDOW: OccurredAtWindow = { maxAgeHours: 168, maxAheadSeconds: 300 };

/** A whole number as an environment value: digits only, so "1e3" or "-1" are refused rather than read. */
const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);

const WindowEnv = z.object({
  // Up to ten years back: a deployment importing old usage says so explicitly.
  USAGE_OCCURRED_AT_MAX_AGE_HOURS: z.preprocess(blankToUndefined, wholeNumber(87_600).optional()),
  USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS: z.preprocess(blankToUndefined, wholeNumber(86_400).optional()),
});

/** The window the environment sets, each bound defaulting to DEFAULT_OCCURRED_AT_WINDOW's. Throws on a bad value. */
export function readOccurredAtWindow(env: Record<string, string | undefined>): OccurredAtWindow {
  const parsed = WindowEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
    throw new Error(`usage occurredAt window: ${problems}`);
  }
  return {
    maxAgeHours: parsed.data.USAGE_OCCURRED_AT_MAX_AGE_HOURS ?? DEFAULT_OCCURRED_AT_WINDOW.maxAgeHours,
    maxAheadSeconds: parsed.data.USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS ?? DEFAULT_OCCURRED_AT_WINDOW.maxAheadSeconds,
  };
}

let configured: OccurredAtWindow | undefined;

/** The window of this process, read from its environment once, at the first booking. */
export function configuredOccurredAtWindow(): OccurredAtWindow {
  configured ??= readOccurredAtWindow(process.env);
  return configured;
}

/** The earliest and latest call time accepted at `now`, both inclusive. */
export interface OccurredAtBounds {
  earliest: Date;
  latest: Date;
}

export function occurredAtBounds(window: OccurredAtWindow, now: Date): OccurredAtBounds {
  return {
    earliest: new Date(now.getTime() - window.maxAgeHours * 3_600_000),
    latest: new Date(now.getTime() + window.maxAheadSeconds * 1_000),
  };
}

/**
 * The OCCURRED_AT_OUT_OF_WINDOW (400, field occurredAt) for a call time outside the bounds; null
 * within them, or without a call time (booked as now).
 */
export function occurredAtRefusal(
  occurredAt: string | Date | null | undefined,
  bounds: OccurredAtBounds,
): DomainError | null {
  if (occurredAt == null) return null;
  const time = new Date(occurredAt).getTime();
  if (time >= bounds.earliest.getTime() && time <= bounds.latest.getTime()) return null;
  const message = `must lie between ${bounds.earliest.toISOString()} and ${bounds.latest.toISOString()}`;
  return new DomainError("OCCURRED_AT_OUT_OF_WINDOW", `occurredAt ${message}`, [{ path: "occurredAt", message }]);
}

/**
 * Of these idempotency keys, those already booked on the mandate's pool. A retry of an event
 * booked while its call time was in the window is a replay, answered with its first booking
 * before any other check, however late it comes; only a new booking is held to the window.
 * Asked only for events outside the window, which are rare.
 */
export async function keysBookedOnPool(mandateId: string, keys: readonly string[]): Promise<Set<string>> {
  const pool = await prisma.billingAccount.findFirst({ where: { mandateId, userId: null }, select: { id: true } });
  if (!pool || keys.length === 0) return new Set();
  const rows = await prisma.billingTransaction.findMany({
    where: { accountId: pool.id, idempotencyKey: { in: [...keys] } },
    select: { idempotencyKey: true },
  });
  return new Set(rows.map((row) => row.idempotencyKey));
}
