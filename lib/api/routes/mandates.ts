import { z } from "zod";
import { Uuid } from "@/lib/ids/uuid";
import { SafeText } from "@/lib/api/safe-text";
import { Timestamp } from "@/lib/api/timestamp";
import { API_KEY_ERRORS, type ApiRoute, errorContent, json } from "@/lib/api/openapi-content";
import { PeriodType, ReferenceType, TransactionType } from "@/lib/db/generated/enums";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "@/lib/ledger/list-transactions";
import { YEARS_SHOWN } from "@/lib/stats/business-calendar";
import { PENDING_READ_LIMIT } from "@/lib/stats/get-statistics";

/**
 * Read routes of one mandate: balance, usage statistics, transactions. The key must cover the
 * mandate (403 otherwise); an unknown mandate is 404; a mandate id that is not a UUID is 400 like
 * any other malformed input (it cannot name a mandate, so nothing is revealed).
 */

const ERROR_RESPONSES = {
  400: errorContent("Invalid mandate id or query (field paths in details)"),
  ...API_KEY_ERRORS,
  404: errorContent("Unknown mandate"),
};

const MoneyOut = z.string().meta({ description: "CHF as a decimal string with 6 decimals", example: "12.500000" });
const Breakdown = z
  .record(z.string(), MoneyOut)
  .meta({ description: 'Cost per key; debits without one are under "unknown"', example: { anthropic: "12.500000" } });

export const MandatePath = z.object({
  mandateId: Uuid.meta({ description: "Mandate id", example: "3f0c2a52-8d0e-4a47-9d0b-6f1b7c3e2a10" }),
});

// ---------------------------------------------------------------------------------------------
// Balance

const BalanceResponse = z
  .object({
    mandateId: z.string(),
    mandateName: z.string(),
    balance: MoneyOut.meta({ description: "Pool balance; negative when usage overdrew it" }),
    currency: z.string().meta({ example: "CHF" }),
    warningThreshold: MoneyOut,
    isWarning: z.boolean().meta({ description: "balance < warningThreshold of the pool account" }),
  })
  .meta({ id: "BillingBalanceResponse" });

// ---------------------------------------------------------------------------------------------
// Statistics

/** Query-string integer: digits only, so "1e3" or "12.0" are refused rather than coerced. */
function intParam(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,4}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

export const StatisticsQuery = z
  .object({
    period: z.enum(PeriodType).meta({
      description: `DAY: every day of \`month\`; MONTH: every month of \`year\`; YEAR: the ${YEARS_SHOWN} years up to \`year\``,
    }),
    year: intParam(2000, 2999).meta({ description: "Calendar year (Europe/Zurich)", example: "2026" }),
    month: intParam(1, 12).optional().meta({ description: "1-12; required for DAY, ignored otherwise", example: "11" }),
  })
  .superRefine((query, ctx) => {
    if (query.period === "DAY" && query.month === undefined) {
      ctx.addIssue({ code: "custom", path: ["month"], message: "month is required when period is DAY" });
    }
  });

const StatisticsPoint = z
  .object({
    label: z.string().meta({ description: 'Period in ISO form: "2026-11-03", "2026-11" or "2026"' }),
    totalCost: MoneyOut,
    transactionCount: z.number().int(),
    byProvider: Breakdown,
  })
  .meta({ id: "BillingStatisticsChartData" });

const StatisticsResponse = z
  .object({
    mandateId: z.string(),
    period: z.enum(PeriodType),
    year: z.number().int(),
    month: z.number().int().nullable(),
    currency: z.string(),
    complete: z.boolean().meta({
      description:
        "true: every debit booked before the request is counted. false only while the roll-up is more than " +
        `${PENDING_READ_LIMIT} debits behind; the figures are then those of the last roll-up`,
    }),
    data: z.array(StatisticsPoint),
    totals: z.object({
      totalCost: MoneyOut,
      transactionCount: z.number().int(),
      byProvider: Breakdown,
      byFeature: Breakdown,
    }),
  })
  .meta({
    id: "BillingStatisticsResponse",
    description:
      "Cost of the pool account's DEBITs (usage and storage) per period of the Europe/Zurich calendar. " +
      "Exact at the time of the request: rolled-up statistics plus debits not yet rolled up (see complete).",
  });

// ---------------------------------------------------------------------------------------------
// Transactions

const FilterText = SafeText.min(1).max(200);

export const TransactionsQuery = z
  .object({
    limit: intParam(1, MAX_PAGE_SIZE)
      .optional()
      .meta({ description: `Page size, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` }),
    cursor: SafeText.min(1).max(500).optional().meta({ description: "nextCursor of the previous page" }),
    type: z.enum(TransactionType).optional(),
    referenceType: z.enum(ReferenceType).optional(),
    provider: FilterText.optional().meta({ description: "AI provider, e.g. anthropic" }),
    model: FilterText.optional().meta({ description: "AI model, e.g. claude-4-sonnet" }),
    featureCode: FilterText.optional(),
    userId: Uuid.optional().meta({
      description: "Transactions this user caused on the pool account (usage, adjustments they made)",
    }),
    from: Timestamp.optional().meta({ description: "createdAt (the call time) ≥ from" }),
    to: Timestamp.optional().meta({ description: "createdAt (the call time) < to" }),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "to must not be before from" });
    }
  });

const TransactionItem = z
  .object({
    id: z.string(),
    accountId: z.string(),
    mandateId: z.string(),
    transactionType: z.enum(TransactionType),
    amount: MoneyOut.meta({ description: "Positive for CREDIT and DEBIT, signed for ADJUSTMENT" }),
    currency: z.string(),
    balanceAfter: MoneyOut,
    description: z.string(),
    referenceType: z.enum(ReferenceType).nullable(),
    referenceId: z.string().nullable(),
    workflowId: z.string().nullable(),
    featureInstanceId: z.string().nullable(),
    featureCode: z.string().nullable(),
    aicoreProvider: z.string().nullable(),
    aicoreModel: z.string().nullable(),
    createdByUserId: z.string().nullable(),
    processingTime: z.string().nullable().meta({ description: "Seconds as a decimal string", example: "1.250" }),
    bytesSent: z.number().int().nullable(),
    bytesReceived: z.number().int().nullable(),
    errorCount: z.number().int().nullable(),
    createdAt: z.string().meta({
      description:
        "The call time: when the AI call happened (the usage event's occurredAt); for credits and " +
        "adjustments, when booked. The statistics count by it. UTC with microseconds; along the list it " +
        "may go back and forth, as calls are reported late and out of order.",
      example: "2026-11-24T12:00:00.123456Z",
    }),
    bookedAt: z.string().meta({
      description:
        "When the ledger booked the transaction (server time), UTC with microseconds. The list's order: " +
        "balanceAfter runs in it.",
      example: "2026-11-24T12:00:01.654321Z",
    }),
  })
  .meta({ id: "BillingTransaction" });

const TransactionPageResponse = z
  .object({
    items: z.array(TransactionItem),
    nextCursor: z.string().nullable().meta({ description: "null on the last page" }),
  })
  .meta({
    id: "BillingTransactionPage",
    description:
      "The pool account's transactions in booking order, last booked first: each item's balanceAfter is " +
      "the next item's balanceAfter plus the item's amount (minus it for a DEBIT).",
  });

// ---------------------------------------------------------------------------------------------

export const mandatesRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/mandates/{mandateId}/balance",
    operationId: "getBalance",
    summary: "Pool balance of a mandate",
    tags: ["mandates"],
    request: { params: MandatePath },
    responses: { 200: { description: "The balance", content: json(BalanceResponse) }, ...ERROR_RESPONSES },
  },
  {
    method: "get",
    path: "/api/v1/mandates/{mandateId}/statistics",
    operationId: "getStatistics",
    summary: "Usage cost per day, month or year",
    tags: ["mandates"],
    request: { params: MandatePath, query: StatisticsQuery },
    responses: { 200: { description: "Chart data and totals", content: json(StatisticsResponse) }, ...ERROR_RESPONSES },
  },
  {
    method: "get",
    path: "/api/v1/mandates/{mandateId}/transactions",
    operationId: "listTransactions",
    summary: "Transactions of the pool account, last booked first (cursor pagination)",
    tags: ["mandates"],
    request: { params: MandatePath, query: TransactionsQuery },
    responses: { 200: { description: "One page", content: json(TransactionPageResponse) }, ...ERROR_RESPONSES },
  },
];
