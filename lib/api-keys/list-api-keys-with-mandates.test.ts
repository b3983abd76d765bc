import { describe, expect, it } from "vitest";
import { createTestMandate } from "@/testing/test-factories";
import { prisma } from "@/lib/db/client";
import { getMandate } from "@/lib/mandates/get-mandate";
import { createApiKey, revokeApiKey } from "./api-keys";
import { listApiKeysWithMandates } from "./list-api-keys-with-mandates";

describe("listApiKeysWithMandates", () => {
  it("names each key's mandate, marks platform-wide and revoked keys, and never returns the hash", async () => {
    const m = await createTestMandate();
    const scoped = await createApiKey({ name: "scoped", mandateId: m.mandateId });
    const platform = await createApiKey({ name: "platform", mandateId: null });
    await revokeApiKey(platform.id);

    const rows = await listApiKeysWithMandates();
    const scopedRow = rows.find((r) => r.id === scoped.id);
    const platformRow = rows.find((r) => r.id === platform.id);
    expect(scopedRow).toMatchObject({
      name: "scoped",
      mandateId: m.mandateId,
      mandateName: (await getMandate(m.mandateId))?.name,
      keyPrefix: scoped.key.slice(0, 11),
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(platformRow).toMatchObject({ mandateId: null, mandateName: null, revokedAt: expect.any(Date) });
    expect(Object.keys(scopedRow ?? {})).not.toContain("keyHash");
    expect(JSON.stringify(rows)).not.toContain(scoped.key);
    // Newest first.
    expect(rows.findIndex((r) => r.id === platform.id)).toBeLessThan(rows.findIndex((r) => r.id === scoped.id));
    expect(await prisma.apiKey.count({ where: { id: { in: [scoped.id, platform.id] } } })).toBe(2);
  });
});
