import { z } from "zod";
import { Uuid } from "@/lib/ids/uuid";
import { IdempotencyKey } from "@/lib/ledger/idempotency-key";
import { API_KEY_ERRORS, type ApiRoute, errorContent, json, JSON_BODY_ERRORS } from "@/lib/api/openapi-content";
import { BILLING_CHECK_REASONS, USER_ACTIONS } from "@/lib/billing-check/reasons";
import { DEFAULT_RESERVATION_TTL_SECONDS, ReservationTtlSeconds } from "@/lib/billing-check/reservation-ttl";
import { DomainError, zodDetails } from "@/lib/errors";
import { MoneyString, SignedMoneyString } from "@/lib/money/money-string";
import { ProviderId, UsageInput } from "@/lib/usage/usage-input";
import { UsageBatchSummary, UsageResult } from "@/lib/usage/usage-result";

/**
 * Request and response schemas of the billing routes (check, usage, usage batch) and their
 * OpenAPI entries. The route handlers parse with these schemas; the domain re-checks amounts.
 * The usage event and its results are lib/usage's own schemas, given their OpenAPI names here.
 */

export const MAX_BATCH_EVENTS = 1000;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/billing/check

export const BillingCheckInput = z
  .strictObject({
    mandateId: Uuid,
    userId: Uuid.nullish().meta({ description: "The person behind the AI call; must be a member" }),
    estimatedCost: MoneyString.meta({ description: "Expected price of the call in CHF (zero allowed)" }),
    provider: ProviderId.nullish(),
    reserve: z
      .boolean()
      .optional()
      .meta({ description: "Hold estimatedCost against the pool when allowed, until captured or expired" }),
    reservationTtlSeconds: ReservationTtlSeconds.optional().meta({
      description: `How long the hold lasts (default ${DEFAULT_RESERVATION_TTL_SECONDS})`,
      example: 300,
    }),
    idempotencyKey: IdempotencyKey.optional().meta({
      description: "With reserve: a retry with the same key returns the same reservation and holds nothing more",
    }),
    locale: z.enum(["en", "de"]).optional().meta({ description: "Language of `message` (default en)" }),
  })
  .meta({
    id: "BillingCheckRequest",
    description: "Asks before an AI call whether the mandate (and user) may spend estimatedCost.",
    example: {
      mandateId: "0b6f1c9e-4a57-4d0e-9a3c-6a2f0f4d1e21",
      userId: "7d1f0a52-3c1b-4f7e-8a0d-2b9e6c5f4a13",
      estimatedCost: "0.050000",
      provider: "anthropic",
      reserve: true,
      reservationTtlSeconds: 300,
      idempotencyKey: "call-4711-check",
    },
  });
export type BillingCheckInput = z.infer<typeof BillingCheckInput>;

export const BillingCheckResponse = z
  .object({
    allowed: z.boolean(),
    reason: z.enum(BILLING_CHECK_REASONS).nullable(),
    message: z.string().nullable().meta({ description: "Why not, for the person (in the requested locale)" }),
    currentBalance: SignedMoneyString,
    requiredAmount: MoneyString.nullable().meta({ description: "What is missing for this call" }),
    upgradeRequired: z.boolean(),
    subscriptionUiPath: z.string().nullable(),
    userAction: z.enum(USER_ACTIONS).nullable(),
    reservationId: Uuid.optional().meta({ description: "Present when reserve was asked and the check allowed" }),
    reservationExpiresAt: z.iso.datetime().optional(),
    replayed: z.boolean().optional().meta({ description: "True when idempotencyKey returned an earlier reservation" }),
  })
  .meta({
    id: "BillingCheckResponse",
    example: {
      allowed: true,
      reason: null,
      message: null,
      currentBalance: "12.500000",
      requiredAmount: null,
      upgradeRequired: false,
      subscriptionUiPath: null,
      userAction: null,
      reservationId: "5e0c2b7a-9f4d-4c1e-8b3a-1d2e3f4a5b6c",
      reservationExpiresAt: "2026-11-24T13:05:00.000Z",
      replayed: false,
    },
  });
export type BillingCheckResponse = z.infer<typeof BillingCheckResponse>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/billing/usage

export const UsageEventInput = UsageInput.meta({
  id: "UsageEvent",
  description:
    "One AI call, reported after it happened; booked as a DEBIT on the mandate's pool. Required: mandateId, " +
    "idempotencyKey, amount or providerCost, provider, model; the metadata (featureCode, featureInstanceId, " +
    "workflowId, processingTime, bytes, errorCount) is optional. A debit is never refused because its " +
    "reservation was released, an account is disabled or the user left: the transaction notes it.",
  example: {
    mandateId: "0b6f1c9e-4a57-4d0e-9a3c-6a2f0f4d1e21",
    userId: "7d1f0a52-3c1b-4f7e-8a0d-2b9e6c5f4a13",
    idempotencyKey: "call-4711",
    reservationId: "5e0c2b7a-9f4d-4c1e-8b3a-1d2e3f4a5b6c",
    providerCost: "0.000010",
    provider: "anthropic",
    model: "claude-4-sonnet",
    featureCode: "chat",
    featureInstanceId: "chat-42",
    workflowId: "wf-4711",
    processingTime: "1.234",
    bytesSent: 2048,
    bytesReceived: 4096,
    errorCount: 0,
  },
});

export const UsageResponse = UsageResult.meta({
  id: "UsageResponse",
  example: {
    transactionId: "2c1d0e9f-8a7b-4c6d-9e5f-4a3b2c1d0e9f",
    mandateId: "0b6f1c9e-4a57-4d0e-9a3c-6a2f0f4d1e21",
    amount: "0.000015",
    providerCost: "0.000010",
    balanceAfter: "12.499985",
    replayed: false,
    auditTransactionId: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
  },
});
export type UsageResponse = z.infer<typeof UsageResponse>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/billing/usage/batch

/**
 * What the handler parses. Each event is parsed on its own, into a UsageInput or into the
 * VALIDATION_FAILED that says why it is none, so one malformed event is rejected alone
 * (recordUsageBatch answers it as such) instead of failing the batch.
 */
export const UsageBatchInput = z.strictObject({
  events: z.array(z.unknown().transform(parseBatchEvent)).min(1).max(MAX_BATCH_EVENTS),
});

function parseBatchEvent(raw: unknown): UsageInput | DomainError {
  const parsed = UsageEventInput.safeParse(raw);
  return parsed.success ? parsed.data : new DomainError("VALIDATION_FAILED", "Invalid event", zodDetails(parsed.error));
}

/** The same envelope as documented: each event is a UsageEvent. */
const UsageBatchRequestDoc = z
  .object({ events: z.array(UsageEventInput).min(1).max(MAX_BATCH_EVENTS) })
  .meta({ id: "UsageBatchRequest", description: `Up to ${MAX_BATCH_EVENTS} usage events, booked in one statement.` });

export const UsageBatchResponse = UsageBatchSummary.meta({
  id: "UsageBatchResponse",
  example: {
    results: [
      { index: 0, status: "booked", transactionId: "2c1d0e9f-8a7b-4c6d-9e5f-4a3b2c1d0e9f" },
      { index: 1, status: "duplicate", transactionId: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d" },
      {
        index: 2,
        status: "rejected",
        error: { code: "VALIDATION_FAILED", message: "Invalid event", details: [{ path: "amount", message: "…" }] },
      },
    ],
    booked: 1,
    duplicates: 1,
    rejected: 1,
  },
});
export type UsageBatchResponse = z.infer<typeof UsageBatchResponse>;

// ---------------------------------------------------------------------------------------------
// OpenAPI

const COMMON_ERRORS = { ...JSON_BODY_ERRORS, ...API_KEY_ERRORS } as const;

export const billingRoutes: ApiRoute[] = [
  {
    method: "post",
    path: "/api/v1/billing/check",
    operationId: "runBillingCheck",
    tags: ["billing"],
    summary: "Billing check before an AI call, optionally reserving the estimated cost",
    description:
      "Answers whether the mandate (and user) may spend estimatedCost now. Open reservations count " +
      "against the balance. With reserve=true an allowed check holds the amount atomically (concurrent " +
      "checks cannot overspend) until the usage debit captures it or it expires. A refusal is a 200 " +
      "with allowed=false and a reason.",
    request: { body: { required: true, content: json(BillingCheckInput) } },
    responses: {
      200: { description: "The decision", content: json(BillingCheckResponse) },
      ...COMMON_ERRORS,
      404: errorContent("Unknown mandate"),
      409: errorContent("idempotencyKey reused for a different reservation"),
    },
  },
  {
    method: "post",
    path: "/api/v1/billing/usage",
    operationId: "recordUsage",
    tags: ["billing"],
    summary: "Book one AI call as a usage debit",
    description:
      "Books a DEBIT (reference WORKFLOW) on the mandate's pool and, with userId, on the user's audit " +
      "account, and captures the reservation named. The pool may go below zero (the call happened). " +
      "A retry with the same idempotencyKey and payload returns the first booking with status 200, before " +
      "any other check. A debit is never refused for a released or captured reservation, a disabled " +
      "account or a user who left the mandate: it is booked, and its description notes why. An occurredAt " +
      "more than 7 days back or 5 minutes ahead (the configured window) is refused with 400 " +
      "OCCURRED_AT_OUT_OF_WINDOW, unless it retries a booked event. The transaction's createdAt is the call time; its bookedAt and its place " +
      "in the transaction list follow the order of booking.",
    request: { body: { required: true, content: json(UsageEventInput) } },
    responses: {
      201: { description: "Booked", content: json(UsageResponse) },
      200: { description: "Replay of an earlier booking; nothing new was booked", content: json(UsageResponse) },
      ...COMMON_ERRORS,
      400: errorContent(
        "Invalid input (field paths in details) or invalid JSON (VALIDATION_FAILED, INVALID_JSON); " +
          "occurredAt outside the accepted window (OCCURRED_AT_OUT_OF_WINDOW, path occurredAt)",
      ),
      404: errorContent("Unknown mandate"),
      409: errorContent("idempotencyKey reused with another payload"),
    },
  },
  {
    method: "post",
    path: "/api/v1/billing/usage/batch",
    operationId: "recordUsageBatch",
    tags: ["billing"],
    summary: "Book up to 1000 AI calls in one request",
    description:
      "Each event is validated and booked on its own terms: an invalid event, one of a mandate the API " +
      "key does not cover (FORBIDDEN), one whose occurredAt lies outside the accepted window " +
      "(OCCURRED_AT_OUT_OF_WINDOW), or one the ledger refuses is rejected alone; the others are booked " +
      "in one statement, in request order. Events repeating an idempotency key already booked come back as " +
      "duplicates.",
    request: { body: { required: true, content: json(UsageBatchRequestDoc) } },
    responses: {
      200: { description: "One result per event", content: json(UsageBatchResponse) },
      400: errorContent("Not an object with 1-1000 events, or invalid JSON"),
      401: COMMON_ERRORS[401],
      413: COMMON_ERRORS[413],
      415: COMMON_ERRORS[415],
    },
  },
];
