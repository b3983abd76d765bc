import { z } from "zod";
import { ERROR_CODES } from "@/lib/errors";
import { Uuid } from "@/lib/ids/uuid";
import { MoneyString, SignedMoneyString } from "@/lib/money/money-string";

/**
 * What booking usage answers, one definition for recordUsage / recordUsageBatch and for the
 * API, which documents these schemas as its responses (lib/api/routes/billing.ts).
 */

export const UsageResult = z.object({
  transactionId: Uuid,
  mandateId: Uuid,
  amount: MoneyString.meta({ description: "Price charged" }),
  providerCost: MoneyString.nullable(),
  balanceAfter: SignedMoneyString.meta({ description: "Pool balance right after this debit" }),
  replayed: z.boolean().meta({ description: "True for a retry: nothing new was booked (status 200)" }),
  auditTransactionId: Uuid.optional().meta({ description: "The same debit on the user's audit account" }),
});
export type UsageResult = z.infer<typeof UsageResult>;

export const UsageBatchResult = z.object({
  index: z.int().min(0).meta({ description: "Position of the event in the request" }),
  status: z.enum(["booked", "duplicate", "rejected"]),
  transactionId: Uuid.optional().meta({ description: "Booked now, or earlier under the same key (duplicate)" }),
  error: z
    .object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() })
    .optional()
    .meta({ description: "Why this event was rejected; the other events are unaffected" }),
});
export type UsageBatchResult = z.infer<typeof UsageBatchResult>;

/** One result per event, in request order, and how many ended each way. */
export const UsageBatchSummary = z.object({
  results: z.array(UsageBatchResult),
  booked: z.int().min(0),
  duplicates: z.int().min(0),
  rejected: z.int().min(0),
});
export type UsageBatchSummary = z.infer<typeof UsageBatchSummary>;
