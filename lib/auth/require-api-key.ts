import { authenticateApiKey, type AuthenticatedKey } from "@/lib/api-keys/api-keys";
import { DomainError } from "@/lib/errors";

/**
 * Authenticates a machine-API request by `Authorization: Bearer <key>` (cookies never count)
 * and checks the key's scope covers the mandate the request names: 401 before any work for a
 * missing or wrong key, 403 for a key of another mandate. Platform-wide keys cover all.
 */
export async function requireApiKey(req: Request, mandateId: string | null): Promise<AuthenticatedKey> {
  const key = await requireAnyApiKey(req);
  if (mandateId === null && key.mandateId !== null) {
    throw new DomainError("FORBIDDEN", "This operation needs a platform-wide API key");
  }
  if (mandateId !== null && !keyCovers(key, mandateId)) {
    throw new DomainError("FORBIDDEN", "This API key is not allowed for this mandate");
  }
  return key;
}

/**
 * Only the 401 part: for batch requests naming several mandates, whose coverage is then checked
 * per item with keyCovers (a mandate-scoped key may still send its own mandate's items).
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
