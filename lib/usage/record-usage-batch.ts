import { UsageEventInput, type UsageBatchResponse, type UsageBatchResult } from "@/lib/api/routes/billing";
import { isDomainError } from "@/lib/errors";
import { zodDetails } from "@/lib/http/error-response";
import { bookUsageBatch, type UsageEvent } from "@/lib/ledger/book-usage";
import { loadMarkupPercents } from "./provider-cost-markup";
import { toUsageEvent } from "./record-usage";

export interface RecordUsageBatchOptions {
  /** The events as received; each is validated on its own. */
  events: readonly unknown[];
  /** Whether the caller may book for this mandate (the API key's scope); others are FORBIDDEN. */
  mayBookFor: (mandateId: string) => boolean;
}

/**
 * Books a batch of usage events: each is validated, authorised and priced on its own, then all
 * that passed are booked in one statement (bookUsageBatch). A rejected event never costs the
 * others their booking; each gets its own result, in request order.
 */
export async function recordUsageBatch(opts: RecordUsageBatchOptions): Promise<UsageBatchResponse> {
  const results: UsageBatchResult[] = new Array<UsageBatchResult>(opts.events.length);
  const accepted: { index: number; input: UsageEventInput }[] = [];
  opts.events.forEach((raw, index) => {
    const parsed = UsageEventInput.safeParse(raw);
    if (!parsed.success) {
      results[index] = reject(index, "VALIDATION_FAILED", "Invalid event", zodDetails(parsed.error));
    } else if (!opts.mayBookFor(parsed.data.mandateId)) {
      results[index] = reject(index, "FORBIDDEN", "This API key is not allowed for this mandate");
    } else {
      accepted.push({ index, input: parsed.data });
    }
  });

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

function reject(
  index: number,
  code: NonNullable<UsageBatchResult["error"]>["code"],
  message: string,
  details?: unknown,
): UsageBatchResult {
  return { index, status: "rejected", error: { code, message, ...(details === undefined ? {} : { details }) } };
}
