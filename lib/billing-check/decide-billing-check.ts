import type { MandateRole } from "@/lib/db/generated/client";
import { sub, toMoney, toMoneyString } from "@/lib/money/money";
import type { BillingCheckReason, UserAction } from "./reasons";

/** The seed's BillingCheckResult; amounts are decimal strings. */
export interface BillingCheckResult {
  allowed: boolean;
  reason: BillingCheckReason | null;
  currentBalance: string;
  /** How much is missing for this call (estimated cost minus what is available). */
  requiredAmount: string | null;
  upgradeRequired: boolean;
  /** Where the person can fix it in the dashboard (top-up or plan page). */
  subscriptionUiPath: string | null;
  userAction: UserAction | null;
}

/** Everything the decision needs, loaded in one query by runBillingCheck. */
export interface BillingCheckFacts {
  mandateId: string;
  poolEnabled: boolean;
  balance: string;
  /** Money held by open reservations; counts against the balance. */
  reserved: string;
  allowedProviders: string[];
  /** undefined: no user named; null: named but not a member. */
  userRole: MandateRole | null | undefined;
  userAccountEnabled: boolean;
  /** The mandate has an operative subscription (TRIALING, ACTIVE, PAST_DUE). */
  subscriptionOperative: boolean;
  /** The platform gates spending on a subscription (SUBSCRIPTION_REQUIRED, default on). */
  subscriptionRequired: boolean;
}

export interface BillingCheckRequest {
  estimatedCost: string;
  provider?: string | null;
}

/**
 * The rules, in order: membership, disabled accounts, the subscription gate, provider restriction,
 * then money.
 * A refusal tells the caller what the person can do: owners and admins may top up
 * themselves, members must ask an admin.
 */
export function decideBillingCheck(facts: BillingCheckFacts, request: BillingCheckRequest): BillingCheckResult {
  const available = sub(facts.balance, facts.reserved);
  const base = {
    currentBalance: toMoneyString(facts.balance),
    requiredAmount: null,
    upgradeRequired: false,
    subscriptionUiPath: null,
  };
  const userAction = actionFor(facts.userRole);
  const refuse = (reason: BillingCheckReason, extra: Partial<BillingCheckResult> = {}): BillingCheckResult => ({
    ...base,
    allowed: false,
    reason,
    userAction,
    ...extra,
  });

  if (facts.userRole === null) return refuse("USER_NOT_MEMBER", { userAction: null });
  if (!facts.poolEnabled || !facts.userAccountEnabled) return refuse("ACCOUNT_DISABLED");
  if (facts.subscriptionRequired && !facts.subscriptionOperative) {
    return refuse("NO_ACTIVE_SUBSCRIPTION", {
      upgradeRequired: true,
      subscriptionUiPath: `/mandates/${facts.mandateId}/plans`,
      // Only an owner chooses the plan; everyone else asks one.
      userAction:
        facts.userRole === "OWNER" ? "CHOOSE_PLAN" : facts.userRole === undefined ? null : "CONTACT_MANDATE_OWNER",
    });
  }
  if (request.provider && facts.allowedProviders.length > 0 && !facts.allowedProviders.includes(request.provider)) {
    return refuse("PROVIDER_NOT_ALLOWED");
  }
  if (available.lessThan(toMoney(request.estimatedCost)) || available.isNegative()) {
    return refuse("INSUFFICIENT_BALANCE", {
      requiredAmount: toMoneyString(sub(request.estimatedCost, available)),
      subscriptionUiPath: `/mandates/${facts.mandateId}/top-up`,
    });
  }
  return { ...base, allowed: true, reason: null, userAction: null };
}

function actionFor(role: MandateRole | null | undefined): UserAction | null {
  if (role === undefined) return null;
  return role === "OWNER" || role === "ADMIN" ? "TOP_UP_SELF" : "CONTACT_MANDATE_ADMIN";
}
