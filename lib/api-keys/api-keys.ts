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

function hashApiKey(key: string): string {
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

/** Revoked at once in the database and in this process; other servers see it within the cache TTL. */
export async function revokeApiKey(id: string): Promise<void> {
  const { count } = await prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  forgetCachedKey(id);
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
 * Keys found are remembered in this process for API_KEY_CACHE_TTL_MS. The gateway sends hundreds
 * of requests a second with one key, and without the cache the look-up is a second database round
 * trip on every one of them, which caps the single usage debits. The price is a revocation delay:
 * a key revoked on another server (or directly in the database) keeps working here for at most
 * API_KEY_CACHE_TTL_MS after its last look-up; revokeApiKey clears its own process's entry at
 * once. Unknown and revoked keys are never cached, so a new key works at once and guessed keys
 * cannot fill the cache. A key in use is looked up again every TTL, so last_used_at stays
 * accurate to about a minute.
 */
const API_KEY_CACHE_TTL_MS = 5_000;
const API_KEY_CACHE_MAX_ENTRIES = 1_000;
// On globalThis so that every bundle of the server (route handlers, server actions) shares one
// cache, and revokeApiKey's clearing reaches all of them.
const cacheHolder = globalThis as unknown as {
  apiKeyCache?: Map<string, { key: AuthenticatedKey; expiresAt: number }>;
};
const keyCache = (cacheHolder.apiKeyCache ??= new Map());

/**
 * Finds an active key by its hash and stamps last_used_at, in one statement. The stamp is
 * written at most once a minute per key, so a busy gateway does not turn the key row hot.
 */
export async function authenticateApiKey(key: string): Promise<AuthenticatedKey | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const keyHash = hashApiKey(key);
  const cached = keyCache.get(keyHash);
  if (cached && cached.expiresAt > Date.now()) return cached.key;
  const rows = await prisma.$queryRaw<{ id: string; mandate_id: string | null }[]>`
    WITH found AS (
      SELECT id, mandate_id, last_used_at FROM api_key WHERE key_hash = ${keyHash} AND revoked_at IS NULL
    ), stamped AS (
      UPDATE api_key SET last_used_at = now() FROM found
       WHERE api_key.id = found.id AND (found.last_used_at IS NULL OR found.last_used_at < now() - interval '1 minute')
    )
    SELECT id, mandate_id FROM found`;
  const row = rows[0];
  if (!row) {
    keyCache.delete(keyHash);
    return null;
  }
  const found: AuthenticatedKey = { id: row.id, mandateId: row.mandate_id };
  if (keyCache.size >= API_KEY_CACHE_MAX_ENTRIES) keyCache.clear();
  keyCache.set(keyHash, { key: found, expiresAt: Date.now() + API_KEY_CACHE_TTL_MS });
  return found;
}

function forgetCachedKey(id: string): void {
  for (const [keyHash, entry] of keyCache) if (entry.key.id === id) keyCache.delete(keyHash);
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
