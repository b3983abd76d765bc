import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { prisma } from "@/lib/db/client";
import { createTestMandate, createTestUser } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { credit, debit } from "@/lib/ledger/post-transaction";
import { createMandate } from "./create-mandate";
import { listAllMandates } from "./list-all-mandates";

describe("listAllMandates", () => {
  it("lists every mandate with pool balance, warning state, member and active key counts", async () => {
    const full = await createTestMandate({ balance: "12.5", allowedProviders: ["openai"] });
    // 100 % of this month's credits: a threshold of 10 CHF.
    const low = await createMandate({ name: `Low ${randomUUID()}`, warningThresholdPercent: "100" });
    await credit({ accountId: low.poolAccountId, amount: "10", idempotencyKey: randomUUID(), description: "t" });
    await debit({ accountId: low.poolAccountId, amount: "0.000001", idempotencyKey: randomUUID(), description: "t" });
    const exact = await createMandate({ name: `Exact ${randomUUID()}`, warningThresholdPercent: "100" });
    await credit({ accountId: exact.poolAccountId, amount: "10", idempotencyKey: randomUUID(), description: "t" });
    await createApiKey({ name: "live", mandateId: full.mandateId });
    const revoked = await createApiKey({ name: "old", mandateId: full.mandateId });
    await revokeApiKey(revoked.id);

    const all = await listAllMandates();
    const byId = new Map(all.map((m) => [m.mandateId, m]));
    expect(byId.get(full.mandateId)).toMatchObject({
      balance: "12.500000",
      currency: "CHF",
      // 10 % (the default) of the 12.5 CHF credited this month.
      warningThreshold: "1.250000",
      belowWarning: false,
      poolEnabled: true,
      memberCount: 3,
      activeApiKeyCount: 1,
      allowedProviders: ["openai"],
    });
    expect(byId.get(full.mandateId)?.createdAt).toBeInstanceOf(Date);
    // Compared exactly in numeric: a micro-franc below the threshold warns, the threshold itself does not.
    expect(byId.get(low.mandateId)).toMatchObject({ balance: "9.999999", belowWarning: true, memberCount: 0 });
    expect(byId.get(exact.mandateId)).toMatchObject({ balance: "10.000000", belowWarning: false });
  });

  it("sorts by name, case-insensitively", async () => {
    const tag = randomUUID();
    await createMandate({ name: `zz ${tag} b` });
    await createMandate({ name: `ZZ ${tag} a` });
    const names = (await listAllMandates()).map((m) => m.name).filter((n) => n.includes(tag));
    expect(names).toEqual([`ZZ ${tag} a`, `zz ${tag} b`]);
  });
});

describe("createMandate with an owner e-mail", () => {
  it("makes the user with that e-mail (any case) the OWNER and nobody else a member", async () => {
    const ownerId = await createTestUser("owner");
    const { email } = await prisma.user.findUniqueOrThrow({ where: { id: ownerId } });
    const { mandateId } = await createMandate({ name: "Owned", ownerEmail: email.toUpperCase() });
    const members = await prisma.membership.findMany({ where: { mandateId } });
    expect(members.map((m) => ({ userId: m.userId, role: m.role }))).toEqual([{ userId: ownerId, role: "OWNER" }]);
  });

  it("refuses an unknown e-mail with NOT_FOUND on ownerEmail and creates nothing", async () => {
    const name = `Orphan ${randomUUID()}`;
    const err = await createMandate({ name, ownerEmail: `nobody-${randomUUID()}@test.invalid` }).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(err, "NOT_FOUND")).toBe(true);
    expect(isDomainError(err) && err.details).toEqual([{ path: "ownerEmail", message: "unknown" }]);
    expect(await prisma.mandate.count({ where: { name } })).toBe(0);
  });
});
