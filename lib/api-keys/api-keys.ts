import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";

/**
 * Service credentials for the machine API. Keys are 256 random bits, so a plain SHA-256 is a
 * safe verifier (no password stretching needed) and keeps authentication to one indexed look-up.
 */
const KEY_PREFIX = "bk_";

export interface ApiKeySummary {
  id: string;
  name: string;
  keyPrefix: string;
  mandateId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** The key itself: shown once, never stored. */
  key: string;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export async function createApiKey(opts: {
  name: string;
  mandateId: string | null;
  createdByUserId?: string | null;
}): Promise<CreatedApiKey> {
  if (!opts.name.trim()) throw new DomainError("VALIDATION_FAILED", "an API key needs a name");
  if (opts.mandateId) {
    const mandate = await prisma.mandate.findUnique({ where: { id: opts.mandateId }, select: { id: true } });
    if (!mandate) throw new DomainError("NOT_FOUND", "mandate not found");
  }
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await prisma.apiKey.create({
    data: {
      name: opts.name.trim(),
      keyPrefix: key.slice(0, 11),
      keyHash: hashApiKey(key),
      mandateId: opts.mandateId,
      createdByUserId: opts.createdByUserId ?? null,
    },
  });
  return { ...summarize(row), key };
}

export async function revokeApiKey(id: string): Promise<void> {
  const { count } = await prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new DomainError("NOT_FOUND", "no active API key with this id");
}

export async function listApiKeys(): Promise<ApiKeySummary[]> {
  const rows = await prisma.apiKey.findMany({ orderBy: { createdAt: "desc" } });
  return rows.map(summarize);
}

export interface AuthenticatedKey {
  id: string;
  /** null: platform-wide key. */
  mandateId: string | null;
}

/**
 * Finds an active key by its hash and stamps last_used_at, in one statement. The stamp is
 * written at most once a minute per key, so a busy gateway does not turn the key row hot.
 */
export async function authenticateApiKey(key: string): Promise<AuthenticatedKey | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const rows = await prisma.$queryRaw<{ id: string; mandate_id: string | null }[]>`
    WITH found AS (
      SELECT id, mandate_id, last_used_at FROM api_key WHERE key_hash = ${hashApiKey(key)} AND revoked_at IS NULL
    ), stamped AS (
      UPDATE api_key SET last_used_at = now() FROM found
       WHERE api_key.id = found.id AND (found.last_used_at IS NULL OR found.last_used_at < now() - interval '1 minute')
    )
    SELECT id, mandate_id FROM found`;
  const row = rows[0];
  return row ? { id: row.id, mandateId: row.mandate_id } : null;
}

function summarize(row: ApiKeySummary & { keyHash?: string }): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.keyPrefix,
    mandateId: row.mandateId,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
