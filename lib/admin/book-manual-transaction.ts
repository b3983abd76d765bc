import { DomainError } from "@/lib/errors";
import { getPoolAccount } from "@/lib/ledger/accounts";
import { adjust, credit } from "@/lib/ledger/post-transaction";
import type { Booking } from "@/lib/ledger/types";
import { isUuid } from "@/lib/ids/uuid";
import { manualAmountIssue, type ManualBookingType } from "./manual-booking-schema";

export interface ManualBookingOptions {
  mandateId: string;
  type: ManualBookingType;
  /** Decimal string; CREDIT > 0, ADJUSTMENT signed and not zero; |amount| ≤ MAX_MANUAL_AMOUNT. */
  amount: string;
  reason: string;
  /** The form's key: the same key books once, however often the form is sent. */
  idempotencyKey: string;
  /** The platform admin who books; recorded on the transaction. */
  createdByUserId: string;
}

/** Keys of other sources (Stripe, seed, API) share the account's key space; this keeps ours apart. */
const KEY_PREFIX = "admin-booking:";

/**
 * A platform admin's credit or correction on a mandate's pool account. Both carry the reason
 * as description, reference type ADMIN and the admin's user id, so the ledger shows who moved
 * money and why. The amount rules are checked here too, not only in the form: the domain owns
 * them whoever calls it.
 */
export async function bookManualTransaction(opts: ManualBookingOptions): Promise<Booking> {
  if (!isUuid(opts.mandateId)) throw new DomainError("NOT_FOUND", "mandate not found");
  const issue = manualAmountIssue(opts.amount);
  if (issue || (opts.type === "CREDIT" && opts.amount.startsWith("-"))) {
    throw new DomainError("VALIDATION_FAILED", `invalid manual amount: ${issue ?? "credit must be positive"}`, [
      { path: "amount", message: issue ?? "creditPositive" },
    ]);
  }
  const reason = opts.reason.trim();
  if (reason.length < 3 || reason.length > 500) {
    throw new DomainError("VALIDATION_FAILED", "a manual booking needs a reason of 3-500 characters", [
      { path: "reason", message: "reasonLength" },
    ]);
  }
  const pool = await getPoolAccount(opts.mandateId);
  const common = {
    accountId: pool.accountId,
    amount: opts.amount,
    idempotencyKey: `${KEY_PREFIX}${opts.idempotencyKey}`,
    referenceType: "ADMIN" as const,
    createdByUserId: opts.createdByUserId,
  };
  return opts.type === "CREDIT" ? credit({ ...common, description: reason }) : adjust({ ...common, reason });
}
