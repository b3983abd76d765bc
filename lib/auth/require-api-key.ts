import { authenticateApiKey, type AuthenticatedKey } from "@/lib/api-keys/api-keys";
import { DomainError } from "@/lib/errors";

/**
 * The machine API's credential: `Authorization: Bearer <key>` (cookies never count). Checked in
 * two steps, so a request without a valid key gets 401 before its body is read (requireAnyApiKey),
 * and the key's scope is checked against the mandate the parsed request names (requireKeyScope,
 * 403). Platform-wide keys cover all mandates.
 */

/** The 403 part: the key must cover the mandate named (null: an operation for platform-wide keys only). */
export function requireKeyScope(key: AuthenticatedKey, mandateId: string | null): AuthenticatedKey {
  if (mandateId === null && key.mandateId !== null) {
    throw new DomainError("FORBIDDEN", "This operation needs a platform-wide API key");
  }
  if (mandateId !== null && !keyCovers(key, mandateId)) {
    throw new DomainError("FORBIDDEN", "This API key is not allowed for this mandate");
  }
  return key;
}

/**
 * The 401 part, run before anything of the request is read. A batch naming several mandates
 * checks its items with keyCovers instead of requireKeyScope.
 */
export async function requireAnyApiKey(req: Request): Promise<AuthenticatedKey> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new DomainError("UNAUTHENTICATED", "Missing bearer API key");
  const key = await authenticateApiKey(match[1]);
  if (!key) throw new DomainError("UNAUTHENTICATED", "Unknown or revoked API key");
  return key;
}

/** Whether the key may act for the mandate: platform-wide keys cover all, others their own. */
export function keyCovers(key: AuthenticatedKey, mandateId: string): boolean {
  return key.mandateId === null || key.mandateId === mandateId;
}
