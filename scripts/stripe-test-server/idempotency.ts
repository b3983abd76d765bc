import { StripeApiError } from "./errors";

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
}

/**
 * Stripe's idempotency: the first response to a key is replayed for the same request; the
 * same key with other parameters (or another endpoint) is an `idempotency_error`. Like Stripe,
 * only requests that ran are kept (successes and card errors), not ones refused by validation.
 */
export class IdempotencyCache {
  private readonly responses = new Map<string, StoredResponse>();

  /** The stored response to replay, undefined for a new key; throws on a conflicting reuse. */
  lookup(scope: string, key: string, fingerprint: string): StoredResponse | undefined {
    const stored = this.responses.get(`${scope}\n${key}`);
    if (!stored) return undefined;
    if (stored.fingerprint !== fingerprint) {
      throw new StripeApiError(400, {
        type: "idempotency_error",
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    return stored;
  }

  save(scope: string, key: string, response: StoredResponse): void {
    if (response.status < 300 || response.status === 402) this.responses.set(`${scope}\n${key}`, response);
  }

  clear(): void {
    this.responses.clear();
  }
}
