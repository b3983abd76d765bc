import type { RechargeFailureReason } from "@/lib/email/messages/auto-recharge-failed";

/** Failures of automatic recharge in a row that switch it off (it never switches itself back on). */
export const RECHARGE_FAILURES_TO_SWITCH_OFF = 3;

/** Stripe's code of a refused recharge as what the owner can do: another card, or pay while present. */
export function rechargeFailureReason(code: string | null): RechargeFailureReason {
  if (code === "authentication_required") return "authentication_required";
  if (code === "card_declined" || code === "expired_card" || code === "incorrect_cvc" || code?.endsWith("_decline")) {
    return "declined";
  }
  return "other";
}
