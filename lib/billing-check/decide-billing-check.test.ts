import { describe, expect, it } from "vitest";
import { decideBillingCheck, type BillingCheckFacts } from "./decide-billing-check";
import { BILLING_CHECK_REASONS, billingCheckMessage } from "./reasons";

const facts = (over: Partial<BillingCheckFacts> = {}): BillingCheckFacts => ({
  mandateId: "m-1",
  poolEnabled: true,
  balance: "10",
  reserved: "0",
  allowedProviders: [],
  userRole: "MEMBER",
  userAccountEnabled: true,
  subscriptionOperative: true,
  subscriptionRequired: true,
  ...over,
});

describe("decideBillingCheck", () => {
  it("allows a call the balance covers", () => {
    expect(decideBillingCheck(facts(), { estimatedCost: "10" })).toEqual({
      allowed: true,
      reason: null,
      currentBalance: "10.000000",
      requiredAmount: null,
      upgradeRequired: false,
      subscriptionUiPath: null,
      userAction: null,
    });
  });

  it("refuses when the estimated cost exceeds the balance, saying how much is missing", () => {
    const result = decideBillingCheck(facts({ balance: "0.000010" }), { estimatedCost: "0.000012" });
    expect(result).toMatchObject({
      allowed: false,
      reason: "INSUFFICIENT_BALANCE",
      requiredAmount: "0.000002",
      subscriptionUiPath: "/mandates/m-1/top-up",
      userAction: "CONTACT_MANDATE_ADMIN",
    });
  });

  it("counts reserved money against the balance", () => {
    expect(decideBillingCheck(facts({ balance: "10", reserved: "9.5" }), { estimatedCost: "1" })).toMatchObject({
      allowed: false,
      requiredAmount: "0.500000",
    });
  });

  it("refuses a zero-cost check when the pool is already negative", () => {
    expect(decideBillingCheck(facts({ balance: "-0.01" }), { estimatedCost: "0" })).toMatchObject({
      allowed: false,
      reason: "INSUFFICIENT_BALANCE",
      requiredAmount: "0.010000",
    });
  });

  it.each([
    ["OWNER", "TOP_UP_SELF"],
    ["ADMIN", "TOP_UP_SELF"],
    ["MEMBER", "CONTACT_MANDATE_ADMIN"],
  ] as const)("tells a %s to %s", (userRole, action) => {
    expect(decideBillingCheck(facts({ userRole, balance: "0" }), { estimatedCost: "1" }).userAction).toBe(action);
  });

  it("gives no user action when no user was named", () => {
    expect(
      decideBillingCheck(facts({ userRole: undefined, balance: "0" }), { estimatedCost: "1" }).userAction,
    ).toBeNull();
  });

  it("refuses disabled pool or user accounts before looking at money", () => {
    expect(decideBillingCheck(facts({ poolEnabled: false }), { estimatedCost: "1" }).reason).toBe("ACCOUNT_DISABLED");
    expect(decideBillingCheck(facts({ userAccountEnabled: false }), { estimatedCost: "1" }).reason).toBe(
      "ACCOUNT_DISABLED",
    );
  });

  it("refuses providers the mandate has not enabled; an empty list allows all", () => {
    const restricted = facts({ allowedProviders: ["anthropic", "mistral"] });
    expect(decideBillingCheck(restricted, { estimatedCost: "1", provider: "openai" }).reason).toBe(
      "PROVIDER_NOT_ALLOWED",
    );
    expect(decideBillingCheck(restricted, { estimatedCost: "1", provider: "mistral" }).allowed).toBe(true);
    expect(decideBillingCheck(facts(), { estimatedCost: "1", provider: "openai" }).allowed).toBe(true);
  });

  it("refuses users who are not members", () => {
    expect(decideBillingCheck(facts({ userRole: null }), { estimatedCost: "0" })).toMatchObject({
      allowed: false,
      reason: "USER_NOT_MEMBER",
    });
  });

  it("has an English and a German message for every reason", () => {
    for (const reason of BILLING_CHECK_REASONS) {
      expect(billingCheckMessage(reason, "en")).toMatch(/\w/);
      expect(billingCheckMessage(reason, "de")).not.toBe(billingCheckMessage(reason, "en"));
    }
  });

  it("gates on an operative subscription when the platform requires one, before money", () => {
    const none = { subscriptionOperative: false, balance: "0" };
    expect(decideBillingCheck(facts({ ...none, userRole: "OWNER" }), { estimatedCost: "1" })).toMatchObject({
      allowed: false,
      reason: "NO_ACTIVE_SUBSCRIPTION",
      upgradeRequired: true,
      subscriptionUiPath: "/mandates/m-1/plans",
      userAction: "CHOOSE_PLAN",
    });
    for (const role of ["ADMIN", "MEMBER"] as const) {
      expect(decideBillingCheck(facts({ ...none, userRole: role }), { estimatedCost: "1" })).toMatchObject({
        reason: "NO_ACTIVE_SUBSCRIPTION",
        userAction: "CONTACT_MANDATE_OWNER",
      });
    }
    expect(decideBillingCheck(facts({ ...none, userRole: undefined }), { estimatedCost: "1" })).toMatchObject({
      reason: "NO_ACTIVE_SUBSCRIPTION",
      userAction: null,
    });
    // Not required by the platform: money decides.
    expect(decideBillingCheck(facts({ ...none, subscriptionRequired: false }), { estimatedCost: "1" }).reason).toBe(
      "INSUFFICIENT_BALANCE",
    );
    expect(decideBillingCheck(facts({ subscriptionOperative: true }), { estimatedCost: "1" }).allowed).toBe(true);
  });
});
