import type { MandateRole } from "@/lib/db/generated/client";
import { queryNamed } from "@/lib/db/pg-pool";
import { DomainError } from "@/lib/errors";
import { runLedgerSql } from "@/lib/ledger/ledger-sql";
import { requireIdempotencyKey } from "@/lib/ledger/idempotency-key";
import { requireMoneyString, toMoneyString } from "@/lib/money/money";
import { decideBillingCheck, type BillingCheckResult } from "./decide-billing-check";
import { billingCheckMessage, type MessageLocale } from "./reasons";
import { reservationTtlSeconds } from "./reservation-ttl";
import { isUuid } from "@/lib/ids/uuid";
import { notePoolExhausted } from "@/lib/recharge/pool-exhausted";
import { subscriptionRequired } from "@/lib/subscriptions/subscription-required";

export interface BillingCheckOptions {
  mandateId: string;
  userId?: string | null;
  /** Decimal string; zero is allowed (asks only whether the mandate may spend at all). */
  estimatedCost: string;
  provider?: string | null;
  /** Hold estimatedCost against the pool when the check allows, until captured or expired. */
  reserve?: boolean;
  /** Whole seconds, as ReservationTtlSeconds allows; DEFAULT_RESERVATION_TTL_SECONDS when absent. */
  reservationTtlSeconds?: number;
  /** With reserve: a retry with the same key returns the same reservation. */
  idempotencyKey?: string | null;
  /** Language of `message`. */
  locale?: MessageLocale;
  /** Gate on an operative subscription; default the platform's SUBSCRIPTION_REQUIRED (on). */
  requireSubscription?: boolean;
}

export interface BillingCheckOutcome extends BillingCheckResult {
  /** The refusal reason for the person, in the requested locale; null when allowed. */
  message: string | null;
  reservationId?: string;
  reservationExpiresAt?: Date;
  /** True when idempotencyKey found an earlier reservation (nothing more was held). */
  replayed?: boolean;
}

/** As node-postgres parses it: numeric as a decimal string, the enum as its label. */
interface FactsRow {
  balance: string;
  reserved_amount: string;
  pool_enabled: boolean;
  allowed_providers: string[];
  role: MandateRole | null;
  user_account_enabled: boolean | null;
  reservation_id: string | null;
  reservation_expires_at: Date | null;
  replayed: boolean;
  subscription_operative: boolean;
}

/**
 * Asks before an AI call whether the mandate (and user) may spend; money held by open
 * reservations counts against the balance. With `reserve`, an allowed check also holds the
 * estimated cost: billing_check_reserve decides the money and inserts the reservation under the
 * pool's row lock, in one round trip, so concurrent checks cannot together overspend.
 */
export async function runBillingCheck(opts: BillingCheckOptions): Promise<BillingCheckOutcome> {
  if (!isUuid(opts.mandateId)) throw new DomainError("NOT_FOUND", "mandate not found");
  if (opts.userId && !isUuid(opts.userId)) throw new DomainError("VALIDATION_FAILED", "userId is not a UUID");
  // Zero is a valid question: may the mandate spend at all?
  const estimatedCost = requireMoneyString(opts.estimatedCost, { allowZero: true, path: "estimatedCost" });
  const userId = opts.userId ?? null;
  const reserve = opts.reserve ?? false;
  const ttl = reservationTtlSeconds(opts.reservationTtlSeconds);
  const key = reserve && opts.idempotencyKey ? requireIdempotencyKey(opts.idempotencyKey) : null;
  const requireSubscription = opts.requireSubscription ?? subscriptionRequired();

  // On the pg pool as a named statement: the check runs before every AI call (lib/db/pg-pool.ts).
  const [row] = await runLedgerSql(() =>
    queryNamed<FactsRow>(
      "billing_check_reserve",
      `SELECT * FROM billing_check_reserve($1::uuid, $2::uuid, $3,
        $4::numeric, $5, $6::int, $7, $8)`,
      [opts.mandateId, userId, opts.provider ?? null, estimatedCost, reserve, ttl, key, requireSubscription],
    ),
  );
  if (!row) throw new DomainError("NOT_FOUND", "mandate not found");

  if (row.replayed) {
    // The first answer was "allowed, here is your hold"; a retry gets that answer again.
    return {
      ...allowedAt(row.balance),
      reservationId: requireValue(row.reservation_id),
      reservationExpiresAt: requireValue(row.reservation_expires_at),
      replayed: true,
    };
  }

  const result = decideBillingCheck(
    {
      mandateId: opts.mandateId,
      poolEnabled: row.pool_enabled,
      balance: row.balance,
      reserved: row.reserved_amount,
      allowedProviders: row.allowed_providers,
      userRole: userId ? row.role : undefined,
      // The audit account is created on first use; until then nothing can have disabled it.
      userAccountEnabled: row.user_account_enabled ?? true,
      subscriptionOperative: row.subscription_operative,
      subscriptionRequired: requireSubscription,
    },
    { estimatedCost, provider: opts.provider },
  );
  const message = result.reason ? billingCheckMessage(result.reason, opts.locale) : null;
  if (result.reason === "INSUFFICIENT_BALANCE") await notePoolExhausted(opts.mandateId);
  if (!reserve) return { ...result, message };

  // The SQL function mirrors the rules to decide under the lock; both must agree, or the
  // answer would hold money for a refused call (or promise money that is not held).
  if (result.allowed !== (row.reservation_id !== null)) {
    throw new DomainError("INTERNAL_ERROR", "billing check and reservation disagree");
  }
  if (!row.reservation_id) return { ...result, message };
  return {
    ...result,
    message,
    reservationId: row.reservation_id,
    reservationExpiresAt: requireValue(row.reservation_expires_at),
    replayed: false,
  };
}

function allowedAt(balance: string): BillingCheckOutcome {
  return {
    allowed: true,
    reason: null,
    message: null,
    currentBalance: toMoneyString(balance),
    requiredAmount: null,
    upgradeRequired: false,
    subscriptionUiPath: null,
    userAction: null,
  };
}

function requireValue<T>(value: T | null): T {
  if (value === null) throw new DomainError("INTERNAL_ERROR", "reservation row incomplete");
  return value;
}
