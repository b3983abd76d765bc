import { DomainError } from "@/lib/errors";
import { bookUsage, type UsageEvent } from "@/lib/ledger/book-usage";
import { requireMoneyString } from "@/lib/money/money";
import { loadMarkupPercents, priceFromProviderCost } from "./provider-cost-markup";

/**
 * A usage report from the gateway: the price (amount) or what the provider charged
 * (providerCost, priced with the mandate's markup) — exactly one of the two.
 */
export interface UsageInput extends Omit<UsageEvent, "amount" | "amountFromProviderCost" | "occurredAt"> {
  amount?: string | null;
  providerCost?: string | null;
  /** ISO 8601 timestamp (or Date) of the call; defaults to now. */
  occurredAt?: string | Date | null;
}

export interface UsageResult {
  transactionId: string;
  mandateId: string;
  amount: string;
  providerCost: string | null;
  /** Pool balance right after the debit. */
  balanceAfter: string;
  /** True for a retry of an earlier booking: nothing new was booked. */
  replayed: boolean;
  auditTransactionId?: string;
}

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
 * VALIDATION_FAILED unless exactly one of the two is present.
 */
export function toUsageEvent(input: UsageInput, markupPercent: string | undefined): UsageEvent {
  const { amount, providerCost, occurredAt, ...rest } = input;
  if ((amount == null) === (providerCost == null)) {
    throw new DomainError("VALIDATION_FAILED", "exactly one of amount and providerCost is required", [
      { path: "amount", message: "exactly one of amount and providerCost is required" },
    ]);
  }
  const when = occurredAt == null ? null : occurredAt instanceof Date ? occurredAt : new Date(occurredAt);
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
