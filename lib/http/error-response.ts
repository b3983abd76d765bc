import { ZodError } from "zod";
import { classifyDatabaseFailure } from "@/lib/db/database-failure";
import { DomainError, zodDetails, type ErrorCode } from "@/lib/errors";

/** One code→status table; a new ErrorCode without a status does not compile. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_ACCEPTABLE: 406,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ACCOUNT_DISABLED: 403,
  INSUFFICIENT_BALANCE: 402,
  IDEMPOTENCY_CONFLICT: 409,
  USER_NOT_MEMBER: 422,
  RESERVATION_ALREADY_SETTLED: 409,
  STALE_STORAGE_PERIOD: 409,
  OCCURRED_AT_OUT_OF_WINDOW: 400,
  LAST_OWNER: 409,
  EDIT_CONFLICT: 409,
  NO_SAVED_CARD: 409,
  ALREADY_MEMBER: 409,
  SERVICE_UNAVAILABLE: 503,
  INVALID_SIGNATURE: 400,
  INTERNAL_ERROR: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Seconds a client should wait before repeating a request answered 503 (same idempotency key). */
export const RETRY_AFTER_SECONDS = 2;

/**
 * Maps any thrown value to the JSON error body; unknown errors are logged and reveal nothing. A
 * database that is down or gave up on a lock is a 503 with Retry-After (the request may be
 * repeated as it was); a value PostgreSQL refused is the caller's 400, not our 500.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof ZodError) {
    return json(400, { code: "VALIDATION_FAILED", message: "Invalid request", details: zodDetails(err) });
  }
  if (err instanceof DomainError) {
    const headers = err.code === "SERVICE_UNAVAILABLE" ? retryAfter() : undefined;
    return json(STATUS[err.code], { code: err.code, message: err.message, details: err.details }, headers);
  }
  const failure = classifyDatabaseFailure(err);
  if (failure === "unavailable") {
    console.warn("database unavailable", err instanceof Error ? err.message : err);
    const message = "Database briefly unavailable; retry with the same idempotency key";
    return json(503, { code: "SERVICE_UNAVAILABLE", message }, retryAfter());
  }
  if (failure === "invalid-input") {
    return json(400, { code: "VALIDATION_FAILED", message: "A value of the request cannot be stored" });
  }
  console.error("unhandled error", err);
  return json(500, { code: "INTERNAL_ERROR", message: "Internal error" });
}

function retryAfter(): HeadersInit {
  return { "Retry-After": String(RETRY_AFTER_SECONDS) };
}

function json(status: number, error: ErrorBody["error"], headers?: HeadersInit): Response {
  return Response.json({ error } satisfies ErrorBody, { status, headers });
}
