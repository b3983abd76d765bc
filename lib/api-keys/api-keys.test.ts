import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate } from "@/testing/test-factories";
import { authenticateApiKey, createApiKey, revokeApiKey } from "./api-keys";

describe("API keys", () => {
  it("stores only the hash and authenticates the key with its scope", async () => {
    const m = await createTestMandate();
    const created = await createApiKey({ name: "gateway", mandateId: m.mandateId });
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(await authenticateApiKey(created.key)).toEqual({ id: created.id, mandateId: m.mandateId });
    expect(await authenticateApiKey(`${created.key}x`)).toBeNull();
  });

  it("revoking clears this process's cache at once", async () => {
    const created = await createApiKey({ name: "platform", mandateId: null });
    expect(await authenticateApiKey(created.key)).not.toBeNull(); // now cached
    await revokeApiKey(created.id);
    expect(await authenticateApiKey(created.key)).toBeNull();
  });

  it("does not cache a key before it exists, so a new key works at once", async () => {
    const created = await createApiKey({ name: "fresh", mandateId: null });
    await prisma.apiKey.update({ where: { id: created.id }, data: { revokedAt: new Date() } });
    expect(await authenticateApiKey(created.key)).toBeNull(); // a miss is not remembered
    await prisma.apiKey.update({ where: { id: created.id }, data: { revokedAt: null } });
    expect(await authenticateApiKey(created.key)).toEqual({ id: created.id, mandateId: null });
  });
});
