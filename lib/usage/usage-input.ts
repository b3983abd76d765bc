import { z } from "zod";
import { SafeText } from "@/lib/api/safe-text";
import { Timestamp } from "@/lib/api/timestamp";
import { Uuid } from "@/lib/ids/uuid";
import { IdempotencyKey } from "@/lib/ledger/idempotency-key";
import { PositiveMoneyString } from "@/lib/money/money-string";

/**
 * A usage event: one AI call as the gateway reports it after it happened. This schema is its
 * one definition: the API validates with it (lib/api documents it as UsageEvent), recordUsage
 * takes its output, and the ledger's booking type (lib/ledger/book-usage.ts) derives from it.
 */

export const ProviderId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a lowercase provider id, e.g. "anthropic"')
  .meta({ description: "AI provider id, as listed in the mandate's allowed providers", example: "anthropic" });

const Label = (max: number) => SafeText.min(1).max(max);

/** Seconds with at most 3 decimals (numeric(12,3)); as a decimal string or a JSON number. */
const ProcessingTimeString = z
  .string()
  .regex(/^(0|[1-9]\d{0,8})(\.\d{1,3})?$/, 'must be seconds with at most 3 decimals, e.g. "1.234"');
const ProcessingTime = z.union([ProcessingTimeString, z.number().transform(String).pipe(ProcessingTimeString)]).meta({
  description:
    "Seconds the AI call took, at most 3 decimals. A decimal string is preferred; a JSON number is " +
    "accepted when its shortest form has at most 3 decimals (not money, so no precision is at stake).",
  example: "1.234",
});

const Count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ONE_PRICE_REQUIRED = "exactly one of amount and providerCost is required";

/**
 * The price is given (amount) or derived from what the provider charged (providerCost, with the
 * mandate's markup): exactly one of the two, or the booking would not know what to charge.
 */
export function hasOnePrice(event: { amount?: string | null; providerCost?: string | null }): boolean {
  return (event.amount == null) !== (event.providerCost == null);
}

export const UsageInput = z
  .strictObject({
    mandateId: Uuid,
    userId: Uuid.nullish().meta({ description: "The person behind the call; the cost is also shown on their account" }),
    idempotencyKey: IdempotencyKey,
    reservationId: Uuid.nullish().meta({ description: "Reservation of the billing check; captured by this debit" }),
    amount: PositiveMoneyString.optional().meta({
      description: "Price to charge in CHF (exactly one of amount, providerCost)",
    }),
    providerCost: PositiveMoneyString.optional().meta({
      description:
        "What the provider charged, in CHF; the price is this plus the mandate's markup (default 50%), " +
        "rounded half-even to 6 decimals. Exactly one of amount, providerCost.",
    }),
    provider: ProviderId,
    model: Label(128).meta({ example: "claude-4-sonnet" }),
    // Optional, as in the data model: a gateway without a feature instance or workflow still books.
    // Usage without a feature shows in the statistics under "no feature" (lib/stats NO_FEATURE).
    featureCode: Label(64)
      .nullish()
      .meta({ description: "Feature of the platform that made the call", example: "chat" }),
    featureInstanceId: Label(200).nullish(),
    workflowId: Label(200).nullish(),
    processingTime: ProcessingTime.nullish(),
    bytesSent: Count.nullish(),
    bytesReceived: Count.nullish(),
    errorCount: z.int().min(0).max(2_147_483_647).nullish(),
    occurredAt: Timestamp.optional().meta({
      description:
        "When the call happened (default now): the transaction's createdAt, by which the statistics count " +
        "it. Accepted from 7 days back to 5 minutes ahead of the server's clock (configurable: " +
        "USAGE_OCCURRED_AT_MAX_AGE_HOURS, USAGE_OCCURRED_AT_MAX_AHEAD_SECONDS), so closed months' " +
        "statistics are not rewritten; outside it the event is refused with OCCURRED_AT_OUT_OF_WINDOW (400), " +
        "unless it retries an event already booked, which is answered with its first booking.",
    }),
  })
  .refine(hasOnePrice, { message: ONE_PRICE_REQUIRED, path: ["amount"] });

/** A validated usage event: amounts are decimal strings, processingTime a decimal string. */
export type UsageInput = z.output<typeof UsageInput>;
