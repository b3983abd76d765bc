import type { CardDetails } from "./types";

/**
 * How a test card behaves, after Stripe's test card table. `async` stands in for a delayed
 * payment method: Checkout completes unpaid and a test control settles it later.
 */
export type CardBehaviour =
  | "succeeds"
  | "declined"
  | "async"
  /** Succeeds when the customer is present (Checkout), declines off-session with authentication_required. */
  | "authenticationRequiredOffSession";

export const TEST_CARDS = {
  visa: "4242424242424242",
  mastercard: "5555555555554444",
  declined: "4000000000000002",
  async: "4000000000000077",
  authenticationRequired: "4000002760003184",
} as const;

const BEHAVIOURS: Record<string, CardBehaviour> = {
  [TEST_CARDS.declined]: "declined",
  "4000000000009995": "declined",
  [TEST_CARDS.async]: "async",
  [TEST_CARDS.authenticationRequired]: "authenticationRequiredOffSession",
  "4000002500003155": "authenticationRequiredOffSession",
};

/** Stripe's test PaymentMethod tokens, each standing for one test card. */
export const TEST_PAYMENT_METHOD_TOKENS: Record<string, string> = {
  pm_card_visa: TEST_CARDS.visa,
  pm_card_mastercard: TEST_CARDS.mastercard,
  pm_card_chargeDeclined: TEST_CARDS.declined,
  pm_card_authenticationRequired: TEST_CARDS.authenticationRequired,
};

export function normaliseCardNumber(input: string): string {
  return input.replace(/[\s-]/g, "");
}

export function isPlausibleCardNumber(number: string): boolean {
  return /^\d{12,19}$/.test(number);
}

export function cardBehaviour(number: string): CardBehaviour {
  return BEHAVIOURS[number] ?? "succeeds";
}

export function cardDetails(number: string, now = new Date()): CardDetails {
  return {
    brand: cardBrand(number),
    last4: number.slice(-4),
    exp_month: 12,
    exp_year: now.getUTCFullYear() + 3,
    funding: "credit",
    country: "US",
  };
}

function cardBrand(number: string): string {
  if (number.startsWith("4")) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(number)) return "mastercard";
  if (/^3[47]/.test(number)) return "amex";
  if (/^6(011|5)/.test(number)) return "discover";
  return "unknown";
}
