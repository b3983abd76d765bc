import { expect } from "vitest";
import { runBillingCheck } from "@/lib/billing-check/run-billing-check";
import { add, toMoneyString } from "@/lib/money/money";

/**
 * The money a mandate may spend, as the billing check sees it (balance less what open holds keep):
 * a plain check allows exactly `amount` and refuses one millionth more, missing that millionth.
 */
export async function expectAvailable(mandateId: string, amount: string): Promise<void> {
  expect(await runBillingCheck({ mandateId, estimatedCost: amount }), `${amount} available`).toMatchObject({
    allowed: true,
  });
  expect(
    await runBillingCheck({ mandateId, estimatedCost: toMoneyString(add(amount, "0.000001")) }),
    `no more than ${amount} available`,
  ).toMatchObject({ allowed: false, reason: "INSUFFICIENT_BALANCE", requiredAmount: "0.000001" });
}
