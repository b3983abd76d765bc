import type { ZodError } from "zod";

/**
 * Domain errors. Codes are stable API (add, never rename): the HTTP layer maps
 * each to a status in lib/http/error-response.ts, the UI translates `errors.<code>`.
 */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "INVALID_JSON",
  "UNSUPPORTED_MEDIA_TYPE",
  "NOT_ACCEPTABLE",
  "PAYLOAD_TOO_LARGE",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "ACCOUNT_DISABLED",
  "INSUFFICIENT_BALANCE",
  "IDEMPOTENCY_CONFLICT",
  "USER_NOT_MEMBER",
  "RESERVATION_ALREADY_SETTLED",
  "STALE_STORAGE_PERIOD",
  "OCCURRED_AT_OUT_OF_WINDOW",
  "LAST_OWNER",
  "EDIT_CONFLICT",
  "ALREADY_MEMBER",
  "NO_SAVED_CARD",
  "SERVICE_UNAVAILABLE",
  "INVALID_SIGNATURE",
  "INTERNAL_ERROR",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
  }
}

/** The `details` of a VALIDATION_FAILED from a failed zod parse: each field path and its message. */
export function zodDetails(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

export function isDomainError(err: unknown, code?: ErrorCode): err is DomainError {
  return err instanceof DomainError && (code === undefined || err.code === code);
}
