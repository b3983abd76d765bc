import { DomainError } from "@/lib/errors";
import { bookUsage, type UsageEvent } from "@/lib/ledger/book-usage";
import { requireMoneyString } from "@/lib/money/money";
import { loadMarkupPercents, priceFromProviderCost } from "./provider-cost-markup";
import {
  configuredOccurredAtWindow,
  keysBookedOnPool,
  occurredAtBounds,
  occurredAtRefusal,
  type OccurredAtWindow,
} from "./occurred-at-window";
import { hasOnePrice, ONE_PRICE_REQUIRED, type UsageInput } from "./usage-input";
import type { UsageResult } from "./usage-result";

export interface RecordUsageOptions {
  /** How far occurredAt may lie from now; default the configured window (occurred-at-window.ts). */
  occurredAtWindow?: OccurredAtWindow;
}

/**
 * Books one AI call (and captures its reservation, when named); a retry returns the first
 * booking. A new booking whose occurredAt lies outside the window is refused
 * (OCCURRED_AT_OUT_OF_WINDOW); a retry of a booked one is still answered.
 */
export async function recordUsage(input: UsageInput, opts: RecordUsageOptions = {}): Promise<UsageResult> {
  const bounds = occurredAtBounds(opts.occurredAtWindow ?? configuredOccurredAtWindow(), new Date());
  const late = occurredAtRefusal(input.occurredAt, bounds);
  if (late && !(await keysBookedOnPool(input.mandateId, [input.idempotencyKey])).has(input.idempotencyKey)) {
    throw late;
  }
  const markup = input.amount == null ? await loadMarkupPercents([input.mandateId]) : null;
  const event = toUsageEvent(input, markup?.get(input.mandateId));
  const booked = await bookUsage(event);
  return {
    transactionId: booked.pool.transactionId,
    mandateId: input.mandateId,
    amount: booked.pool.amount,
    providerCost: event.providerCost ?? null,
    balanceAfter: booked.pool.balanceAfter,
    replayed: booked.replayed,
    ...(booked.audit ? { auditTransactionId: booked.audit.transactionId } : {}),
  };
}

/**
 * Resolves the price: the amount given, or the provider cost with the markup. Throws
 * VALIDATION_FAILED unless exactly one of the two is present: the schema checks that too, but
 * not every caller parses with it.
 */
export function toUsageEvent(input: UsageInput, markupPercent: string | undefined): UsageEvent {
  const { amount, providerCost, occurredAt, ...rest } = input;
  if (!hasOnePrice(input)) {
    throw new DomainError("VALIDATION_FAILED", ONE_PRICE_REQUIRED, [{ path: "amount", message: ONE_PRICE_REQUIRED }]);
  }
  const when = occurredAt == null ? null : new Date(occurredAt);
  if (when && Number.isNaN(when.getTime())) {
    throw new DomainError("VALIDATION_FAILED", "occurredAt is not a timestamp", [
      { path: "occurredAt", message: "invalid" },
    ]);
  }
  if (amount != null) return { ...rest, amount, providerCost: null, occurredAt: when };
  if (providerCost == null || markupPercent === undefined) {
    throw new DomainError("INTERNAL_ERROR", "pricing by provider cost needs the mandate's markup");
  }
  const cost = requireMoneyString(providerCost);
  return {
    ...rest,
    amount: priceFromProviderCost(cost, markupPercent),
    providerCost: cost,
    amountFromProviderCost: true,
    occurredAt: when,
  };
}
