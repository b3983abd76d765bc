import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestMandate } from "@/testing/test-factories";
import { isDomainError } from "@/lib/errors";
import { bookUsage } from "./book-usage";
import { getBalance } from "./get-balance";

describe("getBalance", () => {
  it("reports the pool balance and warns below the pool's threshold, not at it", async () => {
    const m = await createTestMandate({ balance: "10.5" });
    // 100 % of the budget (this month's 10.5 CHF credit): the database derives a 10.5 CHF threshold.
    await prisma.billingSettings.update({
      where: { mandateId: m.mandateId },
      data: { warningThresholdPercent: "100" },
    });
    const mandate = await prisma.mandate.findUniqueOrThrow({ where: { id: m.mandateId } });
    expect(await getBalance(m.mandateId)).toEqual({
      mandateId: m.mandateId,
      mandateName: mandate.name,
      balance: "10.500000",
      currency: "CHF",
      warningThreshold: "10.500000",
      isWarning: false,
    });

    // A user's usage lowers the pool (the audit account is not the balance shown).
    await bookUsage({ mandateId: m.mandateId, userId: m.memberId, amount: "0.000001", idempotencyKey: randomUUID() });
    expect(await getBalance(m.mandateId)).toMatchObject({ balance: "10.499999", isWarning: true });
  });

  it("warns on an overdrawn pool even with no threshold set", async () => {
    const m = await createTestMandate();
    expect(await getBalance(m.mandateId)).toMatchObject({
      balance: "0.000000",
      warningThreshold: "0.000000",
      isWarning: false,
    });
    await bookUsage({ mandateId: m.mandateId, amount: "0.000001", idempotencyKey: randomUUID() });
    expect(await getBalance(m.mandateId)).toMatchObject({ balance: "-0.000001", isWarning: true });
  });

  it("says NOT_FOUND for an unknown mandate", async () => {
    const err = await getBalance(randomUUID()).catch((e: unknown) => e);
    expect(isDomainError(err, "NOT_FOUND")).toBe(true);
  });
});
