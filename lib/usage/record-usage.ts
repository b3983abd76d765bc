import { DomainError } from "@/lib/errors";
import { bookUsage, type UsageEvent } from "@/lib/ledger/book-usage";
import { requireMoneyString } from "@/lib/money/money";
import { loadMarkupPercents, priceFromProviderCost } from "./provider-cost-markup";
import { hasOnePrice, ONE_PRICE_REQUIRED, type UsageInput } from "./usage-input";
import type { UsageResult } from "./usage-result";

/** Books one AI call (and captures its reservation, when named); a retry returns the first booking. */
export async function recordUsage(input: UsageInput): Promise<UsageResult> {
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
