import { ZodError } from "zod";
import { DomainError, zodDetails, type ErrorCode } from "@/lib/errors";

/** One code→status table; a new ErrorCode without a status does not compile. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
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
  LAST_OWNER: 409,
  EDIT_CONFLICT: 409,
  ALREADY_MEMBER: 409,
  INTERNAL_ERROR: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Maps any thrown value to the JSON error body; unknown errors are logged and reveal nothing. */
export function errorResponse(err: unknown): Response {
  if (err instanceof ZodError) {
    return json(400, { code: "VALIDATION_FAILED", message: "Invalid request", details: zodDetails(err) });
  }
  if (err instanceof DomainError) {
    return json(STATUS[err.code], { code: err.code, message: err.message, details: err.details });
  }
  console.error("unhandled error", err);
  return json(500, { code: "INTERNAL_ERROR", message: "Internal error" });
}

function json(status: number, error: ErrorBody["error"]): Response {
  return Response.json({ error } satisfies ErrorBody, { status });
}
