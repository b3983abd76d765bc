import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate, createTestUser, setAccountEnabled } from "@/testing/test-factories";
import { bookUsage } from "@/lib/ledger/book-usage";
import { runBillingCheck } from "./run-billing-check";

describe("runBillingCheck", () => {
  it("allows while the pool covers the cost and refuses after usage drains it", async () => {
    const m = await createTestMandate({ balance: "1" });
    expect(await runBillingCheck({ mandateId: m.mandateId, userId: m.memberId, estimatedCost: "1" })).toMatchObject({
      allowed: true,
      currentBalance: "1.000000",
    });
    await bookUsage({ mandateId: m.mandateId, userId: m.memberId, amount: "0.5", idempotencyKey: randomUUID() });
    expect(await runBillingCheck({ mandateId: m.mandateId, userId: m.memberId, estimatedCost: "1" })).toMatchObject({
      allowed: false,
      reason: "INSUFFICIENT_BALANCE",
      currentBalance: "0.500000",
      requiredAmount: "0.500000",
      userAction: "CONTACT_MANDATE_ADMIN",
    });
    expect(await runBillingCheck({ mandateId: m.mandateId, userId: m.ownerId, estimatedCost: "1" })).toMatchObject({
      userAction: "TOP_UP_SELF",
    });
  });

  it("refuses a disabled pool and a disabled user audit account", async () => {
    const m = await createTestMandate({ balance: "5" });
    await bookUsage({ mandateId: m.mandateId, userId: m.memberId, amount: "0.1", idempotencyKey: randomUUID() });
    const audit = await prisma.billingAccount.findFirstOrThrow({
      where: { mandateId: m.mandateId, userId: m.memberId },
    });
    await setAccountEnabled(m.mandateId, audit.id, false);
    expect((await runBillingCheck({ mandateId: m.mandateId, userId: m.memberId, estimatedCost: "1" })).reason).toBe(
      "ACCOUNT_DISABLED",
    );
    expect((await runBillingCheck({ mandateId: m.mandateId, userId: m.ownerId, estimatedCost: "1" })).allowed).toBe(
      true,
    );
    await setAccountEnabled(m.mandateId, m.poolAccountId, false);
    expect((await runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1" })).reason).toBe("ACCOUNT_DISABLED");
  });

  it("enforces the mandate's provider list", async () => {
    const m = await createTestMandate({ balance: "5", allowedProviders: ["anthropic"] });
    const check = (provider: string) => runBillingCheck({ mandateId: m.mandateId, estimatedCost: "1", provider });
    expect((await check("openai")).reason).toBe("PROVIDER_NOT_ALLOWED");
    expect((await check("anthropic")).allowed).toBe(true);
  });

  it("refuses users of another mandate", async () => {
    const m = await createTestMandate({ balance: "5" });
    const stranger = await createTestUser("stranger");
    expect((await runBillingCheck({ mandateId: m.mandateId, userId: stranger, estimatedCost: "1" })).reason).toBe(
      "USER_NOT_MEMBER",
    );
  });

  it("an unknown or malformed mandate is NOT_FOUND; a bad amount is VALIDATION_FAILED", async () => {
    await expect(runBillingCheck({ mandateId: randomUUID(), estimatedCost: "1" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(runBillingCheck({ mandateId: "not-a-uuid", estimatedCost: "1" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const m = await createTestMandate();
    await expect(runBillingCheck({ mandateId: m.mandateId, estimatedCost: "-1" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
  });
});
