import { DomainError, isDomainError } from "@/lib/errors";
import { bookUsageBatch, type UsageEvent } from "@/lib/ledger/book-usage";
import {
  configuredOccurredAtWindow,
  keysBookedOnPool,
  occurredAtBounds,
  occurredAtRefusal,
  type OccurredAtWindow,
} from "./occurred-at-window";
import { loadMarkupPercents } from "./provider-cost-markup";
import { toUsageEvent } from "./record-usage";
import type { UsageInput } from "./usage-input";
import type { UsageBatchResult, UsageBatchSummary } from "./usage-result";

export interface RecordUsageBatchOptions {
  /**
   * The events in request order, each parsed on its own by the caller: an event that could not
   * be read arrives as the VALIDATION_FAILED saying why, and is rejected alone.
   */
  events: readonly (UsageInput | DomainError)[];
  /** Whether the caller may book for this mandate (the API key's scope); others are FORBIDDEN. */
  mayBookFor: (mandateId: string) => boolean;
  /** How far occurredAt may lie from now; default the configured window (occurred-at-window.ts). */
  occurredAtWindow?: OccurredAtWindow;
}

/**
 * Books a batch of usage events: each is authorised and priced on its own, then all that passed
 * are booked in one statement (bookUsageBatch). A rejected event (an occurredAt outside the
 * window among the reasons) never costs the others their booking; each gets its own result, in
 * request order.
 */
export async function recordUsageBatch(opts: RecordUsageBatchOptions): Promise<UsageBatchSummary> {
  // One "now" for the whole batch: its events are judged against the same window.
  const bounds = occurredAtBounds(opts.occurredAtWindow ?? configuredOccurredAtWindow(), new Date());
  const results: UsageBatchResult[] = new Array<UsageBatchResult>(opts.events.length);
  const inScope: { index: number; input: UsageInput }[] = [];
  opts.events.forEach((event, index) => {
    if (event instanceof DomainError) {
      results[index] = reject(index, event.code, event.message, event.details);
    } else if (!opts.mayBookFor(event.mandateId)) {
      results[index] = reject(index, "FORBIDDEN", "This API key is not allowed for this mandate");
    } else {
      inScope.push({ index, input: event });
    }
  });
  const accepted = await withinWindow(inScope, bounds, results);

  const markups = await loadMarkupPercents(
    accepted.filter(({ input }) => input.amount === undefined).map(({ input }) => input.mandateId),
  );
  const toBook: { index: number; event: UsageEvent }[] = [];
  for (const { index, input } of accepted) {
    try {
      toBook.push({ index, event: toUsageEvent(input, markups.get(input.mandateId)) });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      results[index] = reject(index, err.code, err.message, err.details);
    }
  }

  const outcomes = await bookUsageBatch(toBook.map(({ event }) => event));
  toBook.forEach(({ index }, i) => {
    const outcome = outcomes[i];
    if (!outcome) throw new Error(`usage batch: no outcome for event ${index}`);
    results[index] = outcome.error
      ? reject(index, outcome.error.code, outcome.error.message)
      : {
          index,
          status: outcome.status,
          ...(outcome.transactionId ? { transactionId: outcome.transactionId } : {}),
        };
  });

  const count = (status: UsageBatchResult["status"]) => results.filter((r) => r.status === status).length;
  return { results, booked: count("booked"), duplicates: count("duplicate"), rejected: count("rejected") };
}

/**
 * The events whose call time lies in the window, and those outside it that retry a booked key
 * (the ledger answers them as duplicates); the others are rejected into `results`.
 */
async function withinWindow(
  events: { index: number; input: UsageInput }[],
  bounds: ReturnType<typeof occurredAtBounds>,
  results: UsageBatchResult[],
): Promise<{ index: number; input: UsageInput }[]> {
  const late = new Map<number, DomainError>();
  const lateKeys = new Map<string, string[]>();
  for (const { index, input } of events) {
    const refusal = occurredAtRefusal(input.occurredAt, bounds);
    if (!refusal) continue;
    late.set(index, refusal);
    lateKeys.set(input.mandateId, [...(lateKeys.get(input.mandateId) ?? []), input.idempotencyKey]);
  }
  if (late.size === 0) return events;
  const booked = new Map<string, Set<string>>();
  for (const [mandateId, keys] of lateKeys) booked.set(mandateId, await keysBookedOnPool(mandateId, keys));
  return events.filter(({ index, input }) => {
    const refusal = late.get(index);
    if (!refusal || booked.get(input.mandateId)?.has(input.idempotencyKey)) return true;
    results[index] = reject(index, refusal.code, refusal.message, refusal.details);
    return false;
  });
}

function reject(
  index: number,
  code: NonNullable<UsageBatchResult["error"]>["code"],
  message: string,
  details?: unknown,
): UsageBatchResult {
  return { index, status: "rejected", error: { code, message, ...(details === undefined ? {} : { details }) } };
}
