-- Baseline: the whole schema of the billing ledger in one migration, squashed before the first
-- release (0.1.0), so that each SQL function has one definition, the current one. Later changes
-- append: a new migration folder per change (CREATE OR REPLACE, ALTER), never an edit of this file.
--
-- Tables, columns, enums, keys, plain indexes and foreign keys are what prisma/schema.prisma
-- declares (scripts/db/schema-drift.test.ts compares the two). Written by hand, because
-- schema.prisma cannot express it (prisma/migrations/README.md lists it):
--   * CHECK constraints, with their tables, and NOT NULL on the TEXT[] list columns;
--   * the NULLS NOT DISTINCT unique index of billing_account and two partial indexes;
--   * the triggers (billing_transaction is append-only; billing_account.reserved_amount follows
--     the holds), the SQL functions and the composite types they use.
--
-- Invariants kept by the database, so that no code path can break them:
--   * billing_transaction rows are immutable: no UPDATE, DELETE or TRUNCATE (correct by reversal);
--   * an account's balance changes only together with the transaction that explains it, in one
--     statement under the account's row lock, so balance = credits + adjustments - debits;
--   * a reservation is decided and inserted under its pool account's row lock, and settled once;
--   * every DEBIT is counted in usage statistics exactly once: still queued, or rolled up.
--
-- Errors raised for callers use SQLSTATEs of class BL (billing ledger); lib/ledger/ledger-sql.ts
-- maps them to DomainError codes:
--   BL400 invalid argument (amount sign or scale, TTL, batch size, limit)  VALIDATION_FAILED
--   BL403 account disabled                                                 ACCOUNT_DISABLED
--   BL404 account, mandate or reservation not found                        NOT_FOUND
--   BL405 change of a booked transaction refused                           (a bug: no code)
--   BL409 idempotency key reused with another payload                      IDEMPOTENCY_CONFLICT
--   BL410 reservation already settled                                      RESERVATION_ALREADY_SETTLED
--   BL422 user is not a member of the mandate                              USER_NOT_MEMBER
--
-- Lock order, the same in every function below, so that none can deadlock with another: pool
-- accounts first, by id; then users' audit accounts, by id. A mandate's reservations change only
-- under its pool account's row lock, taken first. The roll-up writes aggregate rows in that same
-- account order.


-- =============================================================================================
-- Enums

CREATE TYPE "MandateRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');

-- Amounts are positive for CREDIT and DEBIT, signed for ADJUSTMENT (billing_transaction's CHECK).
CREATE TYPE "TransactionType" AS ENUM ('CREDIT', 'DEBIT', 'ADJUSTMENT');

CREATE TYPE "ReferenceType" AS ENUM ('WORKFLOW', 'PAYMENT', 'ADMIN', 'SYSTEM', 'STORAGE', 'SUBSCRIPTION');

CREATE TYPE "PeriodType" AS ENUM ('DAY', 'MONTH', 'YEAR');

-- OPEN holds money; each of the other three settles a hold, once.
CREATE TYPE "ReservationStatus" AS ENUM ('OPEN', 'CAPTURED', 'RELEASED', 'EXPIRED');


-- =============================================================================================
-- Tables, in the order of the data model (schema.prisma)

CREATE TABLE "app_user" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "is_platform_admin" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- ---------------------------------------------------------------------------------------------
-- A tenant. An empty allowed_providers list allows every AI provider.
CREATE TABLE "mandate" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "allowed_providers" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mandate_pkey" PRIMARY KEY ("id")
);

-- ---------------------------------------------------------------------------------------------
CREATE TABLE "membership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "MandateRole" NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "membership_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "membership_user_id_idx" ON "membership"("user_id");

CREATE UNIQUE INDEX "membership_mandate_id_user_id_key" ON "membership"("mandate_id", "user_id");

-- ---------------------------------------------------------------------------------------------
-- The pool account of a mandate (user_id NULL) or a user's audit account. No CHECK keeps the
-- balance at or above zero: usage may take the pool below zero (the AI call already happened),
-- and the billing check refuses the next call.
--
-- reserved_amount is the running total of the pool's OPEN reservations and
-- open_holds_expire_after the instant after which every one of them expires; both are kept by
-- the reservation functions and triggers below ("Reservations").
CREATE TABLE "billing_account" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "user_id" UUID,
    "balance" DECIMAL(30,6) NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL DEFAULT 'CHF',
    "warning_threshold" DECIMAL(30,6) NOT NULL DEFAULT 0,
    "last_warning_at" TIMESTAMPTZ(6),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reserved_amount" DECIMAL(30,6) NOT NULL DEFAULT 0,
    "open_holds_expire_after" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_account_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "billing_account_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "billing_account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "billing_account_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
    CONSTRAINT "billing_account_warning_threshold_check" CHECK ("warning_threshold" >= 0),
    CONSTRAINT "billing_account_reserved_amount_not_negative" CHECK (reserved_amount >= 0)
);

-- NULLS NOT DISTINCT (by hand): the pool account, user_id NULL, is unique per mandate.
CREATE UNIQUE INDEX "billing_account_mandate_id_user_id_key" ON "billing_account"("mandate_id", "user_id") NULLS NOT DISTINCT;

-- ---------------------------------------------------------------------------------------------
-- The ledger: one row per booking, immutable (the triggers in "Ledger"). balance_after is the
-- account's balance right after the booking, exact because bookings of one account are
-- serialised by its row lock. The idempotency key is unique per account: a retried booking
-- returns its first row. Bookings take their ids from ledger_uuid_v7(), not from the default.
CREATE TABLE "billing_transaction" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID NOT NULL,
    "mandate_id" UUID NOT NULL,
    "transaction_type" "TransactionType" NOT NULL,
    "amount" DECIMAL(30,6) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'CHF',
    "balance_after" DECIMAL(30,6) NOT NULL,
    "description" TEXT NOT NULL,
    "reference_type" "ReferenceType",
    "reference_id" TEXT,
    "workflow_id" TEXT,
    "feature_instance_id" TEXT,
    "feature_code" TEXT,
    "aicore_provider" TEXT,
    "aicore_model" TEXT,
    "created_by_user_id" UUID,
    "processing_time" DECIMAL(12,3),
    "bytes_sent" BIGINT,
    "bytes_received" BIGINT,
    "error_count" INTEGER,
    "provider_cost" DECIMAL(30,6),
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_transaction_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "billing_transaction_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "billing_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "billing_transaction_amount_sign_check" CHECK (
      ("transaction_type" IN ('CREDIT', 'DEBIT') AND "amount" > 0)
      OR ("transaction_type" = 'ADJUSTMENT' AND "amount" <> 0)
    ),
    CONSTRAINT "billing_transaction_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
    CONSTRAINT "billing_transaction_counts_check" CHECK (
      coalesce("bytes_sent", 0) >= 0 AND coalesce("bytes_received", 0) >= 0
      AND coalesce("error_count", 0) >= 0 AND coalesce("processing_time", 0) >= 0
      AND coalesce("provider_cost", 0) >= 0
    )
);

-- Every booking pays one insert per index, so the table keeps only what reads need: the
-- idempotency key, and the two orders of an account's transaction list (date, amount). Every
-- list is per account, and statistics come from the roll-up, so there is no mandate-wide,
-- provider or feature index; a provider or feature filter walks the account's date order.
CREATE UNIQUE INDEX "billing_transaction_account_id_idempotency_key_key" ON "billing_transaction"("account_id", "idempotency_key");

CREATE INDEX "billing_transaction_account_id_created_at_id_idx" ON "billing_transaction"("account_id", "created_at" DESC, "id" DESC);

CREATE INDEX "billing_transaction_account_id_amount_id_idx" ON "billing_transaction"("account_id", "amount" DESC, "id" DESC);

-- Partial (by hand): the admin page lists a pool's newest manual bookings
-- (lib/admin/list-manual-bookings.ts). They are a handful among possibly millions of usage
-- debits, so the account's date order would be walked to its end before finding none. This index
-- holds the ADMIN bookings alone, and usage debits, never ADMIN, do not write to it.
CREATE INDEX "billing_transaction_admin_account_id_created_at_id_idx"
  ON "billing_transaction"("account_id", "created_at" DESC, "id" DESC)
  WHERE "reference_type" = 'ADMIN';

-- ---------------------------------------------------------------------------------------------
-- One row per mandate. storage_included_mb and provider_cost_markup_percent NULL: the platform
-- default.
CREATE TABLE "billing_settings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "warning_threshold_percent" DECIMAL(5,2) NOT NULL DEFAULT 10,
    "stripe_customer_id" TEXT,
    "auto_recharge_enabled" BOOLEAN NOT NULL DEFAULT false,
    "recharge_amount_chf" DECIMAL(30,6) NOT NULL DEFAULT 10,
    "recharge_max_per_month" INTEGER NOT NULL DEFAULT 3,
    "recharges_this_month" INTEGER NOT NULL DEFAULT 0,
    "month_reset_at" TIMESTAMPTZ(6),
    "notify_emails" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "notify_on_warning" BOOLEAN NOT NULL DEFAULT true,
    "storage_high_watermark_mb" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "storage_period_start_at" TIMESTAMPTZ(6),
    "storage_billed_up_to_mb" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "storage_included_mb" DECIMAL(20,6),
    "provider_cost_markup_percent" DECIMAL(7,2),

    CONSTRAINT "billing_settings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "billing_settings_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "billing_settings_warning_threshold_percent_check"
      CHECK ("warning_threshold_percent" BETWEEN 0 AND 100),
    CONSTRAINT "billing_settings_recharge_check"
      CHECK ("recharge_amount_chf" > 0 AND "recharge_max_per_month" >= 0 AND "recharges_this_month" >= 0),
    CONSTRAINT "billing_settings_storage_check"
      CHECK ("storage_high_watermark_mb" >= 0 AND "storage_billed_up_to_mb" >= 0),
    CONSTRAINT "billing_settings_gateway_check"
      CHECK (coalesce("storage_included_mb", 0) >= 0 AND coalesce("provider_cost_markup_percent", 0) >= 0)
);

CREATE UNIQUE INDEX "billing_settings_mandate_id_key" ON "billing_settings"("mandate_id");

CREATE UNIQUE INDEX "billing_settings_stripe_customer_id_key" ON "billing_settings"("stripe_customer_id");

-- ---------------------------------------------------------------------------------------------
-- Stripe event ids already processed: the unique id makes webhook handling idempotent.
CREATE TABLE "stripe_webhook_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_webhook_event_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "stripe_webhook_event_event_id_key" ON "stripe_webhook_event"("event_id");

-- ---------------------------------------------------------------------------------------------
-- Usage per account and business period, written only by usage_rollup() ("Usage statistics").
-- The breakdowns map a provider or feature to a decimal string, never a JSON number.
CREATE TABLE "usage_statistics" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID NOT NULL,
    "period_type" "PeriodType" NOT NULL,
    "period_start" DATE NOT NULL,
    "total_cost_chf" DECIMAL(30,6) NOT NULL DEFAULT 0,
    "transaction_count" INTEGER NOT NULL DEFAULT 0,
    "cost_by_provider" JSONB NOT NULL DEFAULT '{}',
    "cost_by_feature" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_statistics_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "usage_statistics_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "billing_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "usage_statistics_account_id_period_type_period_start_key" ON "usage_statistics"("account_id", "period_type", "period_start");

-- ---------------------------------------------------------------------------------------------
-- Machine-API credentials: only the SHA-256 of a key is stored. mandate_id NULL: platform-wide.
CREATE TABLE "api_key" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "mandate_id" UUID,
    "created_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_key_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

CREATE INDEX "api_key_mandate_id_idx" ON "api_key"("mandate_id");

-- ---------------------------------------------------------------------------------------------
-- Money held on a pool for an AI call between its billing check and its usage debit
-- ("Reservations"). Every settlement (capture, release, expiry) sets settled_at, so a hold is
-- OPEN exactly while it is unsettled.
CREATE TABLE "billing_reservation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "user_id" UUID,
    "amount" DECIMAL(30,6) NOT NULL,
    "status" "ReservationStatus" NOT NULL DEFAULT 'OPEN',
    "idempotency_key" TEXT,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(6),
    "transaction_id" UUID,

    CONSTRAINT "billing_reservation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "billing_reservation_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "billing_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "billing_reservation_amount_check" CHECK ("amount" >= 0),
    CONSTRAINT "billing_reservation_open_iff_unsettled" CHECK ((status = 'OPEN') = (settled_at IS NULL))
);

-- A pool's OPEN holds past a bound and due now: billing_pool_held() reads this range.
CREATE INDEX "billing_reservation_account_id_status_expires_at_idx" ON "billing_reservation"("account_id", "status", "expires_at");

CREATE UNIQUE INDEX "billing_reservation_mandate_id_idempotency_key_key" ON "billing_reservation"("mandate_id", "idempotency_key");

-- Partial (by hand): the expiry sweep finds due holds of every pool here. Its predicate is
-- `settled_at IS NULL`, not `status = 'OPEN'`, though both mean the same rows (the CHECK above):
-- the read of one pool's holds in billing_pool_held() implies `status = 'OPEN'`, so with that
-- predicate the planner may pick this small index for it and read every mandate's open holds
-- under the pool lock; it cannot prove `settled_at IS NULL`, so it keeps the pool's own range of
-- (account_id, status, expires_at).
CREATE INDEX "billing_reservation_unsettled_expires_at_idx" ON "billing_reservation"("expires_at")
  WHERE "settled_at" IS NULL;

-- ---------------------------------------------------------------------------------------------
-- Debits waiting for the roll-up into usage_statistics, as sums per account, business day,
-- provider and feature: one row for a single debit, one per group for a batch. Each row is an
-- insert at the end of a sequence, so bookings never wait on a shared aggregate row.
CREATE TABLE "usage_rollup_queue" (
    "id" BIGSERIAL NOT NULL,
    "account_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "provider" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "amount" DECIMAL(30,6) NOT NULL,
    "transaction_count" INTEGER NOT NULL,
    "enqueued_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_rollup_queue_pkey" PRIMARY KEY ("id")
);

-- ---------------------------------------------------------------------------------------------
-- Failed or pending sign-ins, counted per e-mail and per client address to throttle guessing.
CREATE TABLE "sign_in_attempt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "client_address" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_attempt_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "sign_in_attempt_email_created_at_idx" ON "sign_in_attempt"("email", "created_at");

CREATE INDEX "sign_in_attempt_client_address_created_at_idx" ON "sign_in_attempt"("client_address", "created_at");

-- ---------------------------------------------------------------------------------------------
-- Audit trail of billing_settings, one row per changed field. The user who changed it is kept
-- (RESTRICT), like the users' audit accounts.
CREATE TABLE "billing_settings_change" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "changed_by_user_id" UUID NOT NULL,
    "field" TEXT NOT NULL,
    "old_value" JSONB NOT NULL,
    "new_value" JSONB NOT NULL,
    "changed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_settings_change_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "billing_settings_change_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "billing_settings_change_changed_by_user_id_fkey" FOREIGN KEY ("changed_by_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE INDEX "billing_settings_change_mandate_id_changed_at_id_idx" ON "billing_settings_change"("mandate_id", "changed_at" DESC, "id" DESC);


-- =============================================================================================
-- Ledger: bookings
--
-- A booking is one statement, one round trip: the function locks the account row, replays a
-- known idempotency key (same request hash: the first booking, replayed = true; another hash:
-- BL409), inserts the transaction with its balance_after and moves the balance. The row lock is
-- held only while PostgreSQL runs the function, never across a network round trip.

-- Posted transactions are append-only: a correction is a new transaction (a reversal or an
-- adjustment), never an update.
CREATE FUNCTION billing_transaction_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'billing_transaction is append-only: % refused (correct a booking by reversal)', TG_OP
    USING ERRCODE = 'BL405';
END;
$$;

CREATE TRIGGER billing_transaction_immutable_row
  BEFORE UPDATE OR DELETE ON "billing_transaction"
  FOR EACH ROW EXECUTE FUNCTION billing_transaction_refuse_change();

CREATE TRIGGER billing_transaction_immutable_truncate
  BEFORE TRUNCATE ON "billing_transaction"
  FOR EACH STATEMENT EXECUTE FUNCTION billing_transaction_refuse_change();

-- ---------------------------------------------------------------------------------------------
-- Transaction ids are version 7 UUIDs (RFC 9562): 48 bits of Unix time in milliseconds, the
-- version and variant bits, and 74 random bits from gen_random_uuid(). Unique and unguessable
-- enough, they append to the right edge of the primary-key index like a sequence, where a random
-- UUID would touch a random leaf of an index far larger than shared buffers on every insert (and
-- write that whole page to the WAL after each checkpoint). uuidv7() is built in only from
-- PostgreSQL 18 on.
CREATE FUNCTION ledger_uuid_v7()
RETURNS UUID
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
           set_bit(set_bit(
             overlay(uuid_send(gen_random_uuid())
                     PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                     FROM 1 FOR 6),
             52, 1), 53, 1),
           'hex')::uuid
$$;

-- ---------------------------------------------------------------------------------------------
-- What a booking call returns: the transaction and whether it was a replay of an earlier call.
CREATE TYPE ledger_booking AS (
  "transaction_id" UUID,
  "account_id" UUID,
  "transaction_type" "TransactionType",
  "amount" DECIMAL(30,6),
  "balance_after" DECIMAL(30,6),
  "created_at" TIMESTAMPTZ(6),
  "replayed" BOOLEAN
);

-- Books one transaction on one account: every credit, adjustment and single debit goes through
-- here. The caller fills p_tx with everything but id, account_id, mandate_id, currency and
-- balance_after (and created_at, unless set). The account row lock serialises bookings per
-- account, which makes balance_after exact and the idempotency look-up race-free without relying
-- on a unique-violation retry. A DEBIT joins the usage roll-up queue in the same statement
-- ("Usage statistics").
CREATE FUNCTION ledger_post(p_account_id UUID, p_tx "billing_transaction", p_require_enabled BOOLEAN)
RETURNS ledger_booking
LANGUAGE plpgsql AS $$
DECLARE
  v_account "billing_account";
  v_existing "billing_transaction";
  v_delta DECIMAL(30,6);
BEGIN
  IF p_tx.amount IS NULL OR p_tx.amount <> round(p_tx.amount, 6) THEN
    RAISE EXCEPTION 'amount must have at most 6 decimals' USING ERRCODE = 'BL400';
  END IF;

  SELECT * INTO v_account FROM "billing_account" WHERE id = p_account_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'account % not found', p_account_id USING ERRCODE = 'BL404';
  END IF;

  SELECT * INTO v_existing FROM "billing_transaction"
   WHERE account_id = p_account_id AND idempotency_key = p_tx.idempotency_key;
  IF FOUND THEN
    IF v_existing.request_hash <> p_tx.request_hash THEN
      RAISE EXCEPTION 'idempotency key % was used for a different booking', p_tx.idempotency_key
        USING ERRCODE = 'BL409';
    END IF;
    RETURN ROW(v_existing.id, v_existing.account_id, v_existing.transaction_type, v_existing.amount,
               v_existing.balance_after, v_existing.created_at, TRUE)::ledger_booking;
  END IF;

  IF p_require_enabled AND NOT v_account.enabled THEN
    RAISE EXCEPTION 'account % is disabled', p_account_id USING ERRCODE = 'BL403';
  END IF;

  v_delta := CASE p_tx.transaction_type WHEN 'DEBIT' THEN -p_tx.amount ELSE p_tx.amount END;

  p_tx.id := ledger_uuid_v7();
  p_tx.account_id := p_account_id;
  p_tx.mandate_id := v_account.mandate_id;
  p_tx.currency := v_account.currency;
  p_tx.balance_after := v_account.balance + v_delta;
  p_tx.created_at := coalesce(p_tx.created_at, now());

  INSERT INTO "billing_transaction" SELECT p_tx.*;
  -- Usage statistics: the debit joins the roll-up queue in the same statement.
  IF p_tx.transaction_type = 'DEBIT' THEN
    INSERT INTO "usage_rollup_queue" (account_id, day, provider, feature, amount, transaction_count)
    VALUES (p_account_id, usage_period_start(p_tx.created_at, 'DAY'), usage_breakdown_key(p_tx.aicore_provider),
            usage_breakdown_key(p_tx.feature_code), p_tx.amount, 1);
  END IF;
  UPDATE "billing_account" SET balance = p_tx.balance_after WHERE id = p_account_id;

  RETURN ROW(p_tx.id, p_account_id, p_tx.transaction_type, p_tx.amount, p_tx.balance_after,
             p_tx.created_at, FALSE)::ledger_booking;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Books an AI call: a DEBIT on the mandate's pool account and, when a user is given, the same
-- DEBIT on that user's audit account (created on first use), atomically. The pool is locked
-- before the audit account, always, so concurrent usage cannot deadlock. Usage may take the pool
-- below zero (the call already happened); only the billing check says no.
--
-- With p_reservation_id, the same statement captures that reservation: the actual cost may
-- differ from the amount held; the hold only stops holding money. A replay returns the first
-- booking and touches nothing; a reservation already captured or released is refused (BL410) and
-- the debit rolled back with it. An expired hold is still captured: the call happened, its debit
-- must not be lost.
CREATE FUNCTION ledger_post_usage(
  p_mandate_id UUID,
  p_user_id UUID,
  p_tx "billing_transaction",
  p_reservation_id UUID DEFAULT NULL
)
RETURNS SETOF ledger_booking
LANGUAGE plpgsql AS $$
DECLARE
  v_pool_id UUID;
  v_audit_id UUID;
  v_pool ledger_booking;
  v_reservation "billing_reservation";
BEGIN
  SELECT id INTO v_pool_id FROM "billing_account" WHERE mandate_id = p_mandate_id AND user_id IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'mandate % has no pool account', p_mandate_id USING ERRCODE = 'BL404';
  END IF;

  -- Cost is attributed to members only: a user id the mandate does not know is a caller bug.
  IF p_user_id IS NOT NULL THEN
    PERFORM 1 FROM "membership" WHERE mandate_id = p_mandate_id AND user_id = p_user_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'user % is not a member of mandate %', p_user_id, p_mandate_id USING ERRCODE = 'BL422';
    END IF;
  END IF;

  p_tx.transaction_type := 'DEBIT';
  p_tx.created_by_user_id := p_user_id;
  v_pool := ledger_post(v_pool_id, p_tx, TRUE);

  -- ledger_post took the pool lock, which guards the mandate's reservations: the status read
  -- here cannot change before this statement commits. Raising rolls the debit back with it.
  IF p_reservation_id IS NOT NULL AND NOT v_pool.replayed THEN
    SELECT * INTO v_reservation FROM "billing_reservation" WHERE id = p_reservation_id AND mandate_id = p_mandate_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'reservation % not found', p_reservation_id USING ERRCODE = 'BL404';
    END IF;
    IF v_reservation.status IN ('CAPTURED', 'RELEASED') THEN
      RAISE EXCEPTION 'reservation % is already settled', p_reservation_id USING ERRCODE = 'BL410';
    END IF;
    UPDATE "billing_reservation" SET status = 'CAPTURED', transaction_id = v_pool.transaction_id, settled_at = now()
     WHERE id = p_reservation_id;
  END IF;
  RETURN NEXT v_pool;

  IF p_user_id IS NOT NULL THEN
    SELECT id INTO v_audit_id FROM "billing_account" WHERE mandate_id = p_mandate_id AND user_id = p_user_id;
    IF NOT FOUND THEN
      INSERT INTO "billing_account" (mandate_id, user_id) VALUES (p_mandate_id, p_user_id)
        ON CONFLICT (mandate_id, user_id) DO NOTHING
        RETURNING id INTO v_audit_id;
      IF v_audit_id IS NULL THEN
        SELECT id INTO v_audit_id FROM "billing_account" WHERE mandate_id = p_mandate_id AND user_id = p_user_id;
      END IF;
    END IF;
    -- The pool row lock is held, and every usage of this mandate takes it first, so the audit
    -- booking's replay state always matches the pool's.
    RETURN NEXT ledger_post(v_audit_id, p_tx, TRUE);
  END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- One event of a batch, parsed: built before the locks are taken, so the locks are held only for
-- the reads and writes that need them.
CREATE TYPE ledger_usage_event AS (
  "idx" INTEGER,
  "mandate_id" UUID,
  "user_id" UUID,
  "reservation_id" UUID,
  "tx" "billing_transaction"
);

-- Books many usage events in one call, set-based: the throughput path of the gateway. Same
-- rules as ledger_post_usage per event, but a per-event error becomes that event's outcome
-- instead of an exception, so one bad event cannot lose the good ones.
--
-- p_events: [{ "idx", "mandate_id", "user_id", "reservation_id", "tx": billing_transaction
-- fields as for ledger_post }]. Returns one row per event: status 'booked' | 'duplicate' |
-- 'rejected', the error code of a rejection (an ErrorCode of lib/errors.ts, or
-- RESERVATION_NOT_FOUND, which lib/ledger reports as NOT_FOUND), and the pool transaction
-- (booked, or found for a duplicate).
--
-- Locks: every pool account named, in id order; then every audit account, in id order, as a
-- single usage takes its pool before its audit account. Each step is its own statement so that
-- the reads after the locks see everything committed before them (READ COMMITTED takes a
-- snapshot per statement); all of it is still one call, one round trip.
--
-- Per event, in this order (as ledger_post_usage would, event after event):
--   unknown mandate -> NOT_FOUND; user not a member -> USER_NOT_MEMBER;
--   key already booked on the pool -> duplicate (same request hash) or IDEMPOTENCY_CONFLICT;
--   key repeated within the batch -> judged against its first event in the batch (the key's
--     owner): same hash shares the owner's outcome, another hash is IDEMPOTENCY_CONFLICT;
--   disabled pool or audit account -> ACCOUNT_DISABLED;
--   reservation unknown for the mandate -> RESERVATION_NOT_FOUND; already settled, or
--     captured by an earlier event of the batch -> RESERVATION_ALREADY_SETTLED;
--   otherwise booked, balance_after running per account in batch order.
-- The debits join the roll-up queue summed per account, day, provider and feature.
CREATE FUNCTION ledger_post_usage_batch(p_events JSONB)
RETURNS TABLE (
  "idx" INTEGER,
  "status" TEXT,
  "error_code" TEXT,
  "transaction_id" UUID
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_events ledger_usage_event[];
  v_mandates UUID[];
  v_pair_mandates UUID[];
  v_pair_users UUID[];
BEGIN
  -- Parsing and the list of accounts named come first, before any lock is taken.
  SELECT array_agg(ROW((e ->> 'idx')::int, (e ->> 'mandate_id')::uuid, (e ->> 'user_id')::uuid,
                       (e ->> 'reservation_id')::uuid,
                       jsonb_populate_record(NULL::"billing_transaction", e -> 'tx'))::ledger_usage_event)
    INTO v_events
    FROM jsonb_array_elements(p_events) e;
  SELECT array_agg(DISTINCT s.m), array_agg(s.m) FILTER (WHERE s.u IS NOT NULL),
         array_agg(s.u) FILTER (WHERE s.u IS NOT NULL)
    INTO v_mandates, v_pair_mandates, v_pair_users
    FROM (SELECT DISTINCT ev.mandate_id AS m, ev.user_id AS u FROM unnest(v_events) ev) s;

  PERFORM 1 FROM "billing_account" a
   WHERE a.user_id IS NULL AND a.mandate_id = ANY (v_mandates)
   ORDER BY a.id
     FOR UPDATE;

  -- Audit accounts are created on first use, as ledger_post_usage does; only members get one.
  -- Only holders of the pool lock create a mandate's audit accounts, so these inserts never race.
  INSERT INTO "billing_account" (mandate_id, user_id)
  SELECT pr.m, pr.u
    FROM unnest(v_pair_mandates, v_pair_users) AS pr(m, u)
    JOIN "membership" mem ON mem.mandate_id = pr.m AND mem.user_id = pr.u
    JOIN "billing_account" p ON p.mandate_id = pr.m AND p.user_id IS NULL
  ON CONFLICT (mandate_id, user_id) DO NOTHING;

  PERFORM 1 FROM "billing_account" a
    JOIN unnest(v_pair_mandates, v_pair_users) AS pr(m, u) ON a.mandate_id = pr.m AND a.user_id = pr.u
   ORDER BY a.id
     FOR UPDATE OF a;

  -- One pass of window functions per rule, never a join of the batch with itself but the one
  -- on idx at the end, and only narrow rows through the sorts: the statement stays linear in
  -- the number of events.
  RETURN QUERY
  WITH ev AS MATERIALIZED (
    SELECT * FROM unnest(v_events)
  ),
  -- Per event, alone: the early checks (those ledger_post_usage makes before its idempotency
  -- look-up, and that look-up), and the checks the event makes if it owns its key.
  facts AS MATERIALIZED (
    SELECT ev.idx, ev.user_id, ev.reservation_id, (ev.tx).amount AS amount,
           (ev.tx).idempotency_key AS key, (ev.tx).request_hash AS hash,
           p.id AS pool_id, p.balance AS pool_balance, ua.id AS audit_id, ua.balance AS audit_balance,
           x.id AS existing_id,
           -- Drawn for every event; used only by the key's owner, and only when it is booked.
           ledger_uuid_v7() AS pool_tx_id,
           CASE
             WHEN p.id IS NULL THEN 'NOT_FOUND'
             WHEN ev.user_id IS NOT NULL AND mem.user_id IS NULL THEN 'USER_NOT_MEMBER'
             WHEN x.id IS NOT NULL AND x.request_hash <> (ev.tx).request_hash THEN 'IDEMPOTENCY_CONFLICT'
             WHEN x.id IS NOT NULL THEN 'DUPLICATE'
           END AS early,
           CASE
             WHEN NOT p.enabled OR (ev.user_id IS NOT NULL AND NOT coalesce(ua.enabled, TRUE)) THEN 'ACCOUNT_DISABLED'
             WHEN ev.reservation_id IS NOT NULL AND r.id IS NULL THEN 'RESERVATION_NOT_FOUND'
             WHEN r.status IN ('CAPTURED', 'RELEASED') THEN 'RESERVATION_ALREADY_SETTLED'
           END AS own_error
      FROM ev
      LEFT JOIN "billing_account" p ON p.mandate_id = ev.mandate_id AND p.user_id IS NULL
      LEFT JOIN "membership" mem ON mem.mandate_id = ev.mandate_id AND mem.user_id = ev.user_id
      LEFT JOIN "billing_account" ua ON ua.mandate_id = ev.mandate_id AND ua.user_id = ev.user_id
      -- LIMIT keeps this a per-event index look-up: the planner cannot turn it into a hash join
      -- over the whole ledger, whatever it guesses about the batch's size.
      LEFT JOIN LATERAL (
        SELECT t.id, t.request_hash FROM "billing_transaction" t
         WHERE t.account_id = p.id AND t.idempotency_key = (ev.tx).idempotency_key
         LIMIT 1
      ) x ON TRUE
      LEFT JOIN "billing_reservation" r ON r.id = ev.reservation_id AND r.mandate_id = ev.mandate_id
  ),
  -- Among the events still open, the first of each key on a pool owns it.
  keyed AS (
    SELECT f.*, f.early IS NULL AS open,
           first_value(f.idx) OVER k AS owner_idx,
           first_value(f.hash) OVER k AS owner_hash,
           first_value(f.pool_tx_id) OVER k AS owner_tx_id
      FROM facts f
    WINDOW k AS (PARTITION BY f.pool_id, f.key, f.early IS NULL ORDER BY f.idx)
  ),
  -- An owner's verdict: its own checks, then its reservation, which only the first clean owner
  -- naming it captures. Null for an owner to book (and for events that own nothing).
  judged AS (
    SELECT k.*,
           CASE WHEN k.open AND k.idx = k.owner_idx THEN
             coalesce(k.own_error,
                      CASE WHEN k.reservation_id IS NOT NULL
                                AND row_number() OVER (
                                      PARTITION BY k.reservation_id, k.open AND k.idx = k.owner_idx AND k.own_error IS NULL
                                      ORDER BY k.idx) > 1
                           THEN 'RESERVATION_ALREADY_SETTLED' END)
           END AS verdict
      FROM keyed k
  ),
  -- The owner's verdict for the rest of its key, and the running balances in batch order.
  final AS MATERIALIZED (
    SELECT j.idx, j.user_id, j.reservation_id, j.pool_id, j.audit_id, j.existing_id, j.early,
           j.hash, j.owner_hash, j.owner_tx_id, j.pool_tx_id, b.booked,
           first_value(j.verdict) OVER k AS owner_verdict,
           j.pool_balance - sum(j.amount) FILTER (WHERE b.booked) OVER (PARTITION BY j.pool_id ORDER BY j.idx)
             AS pool_balance_after,
           j.audit_balance - sum(j.amount) FILTER (WHERE b.booked) OVER (PARTITION BY j.audit_id ORDER BY j.idx)
             AS audit_balance_after
      FROM judged j
     CROSS JOIN LATERAL (SELECT j.open AND j.idx = j.owner_idx AND j.verdict IS NULL AS booked) b
    WINDOW k AS (PARTITION BY j.pool_id, j.key, j.open ORDER BY j.idx)
  ),
  booked AS MATERIALIZED (
    SELECT f.idx, f.user_id, f.reservation_id, f.pool_id, f.audit_id, f.pool_tx_id,
           f.pool_balance_after, f.audit_balance_after, ev.mandate_id, ev.tx
      FROM final f
      JOIN ev ON ev.idx = f.idx
     WHERE f.booked
  ),
  postings AS MATERIALIZED (
    SELECT p.*, coalesce((p.tx).created_at, now()) AS created_at
      FROM (SELECT b.pool_tx_id AS id, b.pool_id AS account_id, b.pool_balance_after AS balance_after,
                   b.mandate_id, b.user_id, b.tx
              FROM booked b
            UNION ALL
            SELECT ledger_uuid_v7(), b.audit_id, b.audit_balance_after, b.mandate_id, b.user_id, b.tx
              FROM booked b
             WHERE b.user_id IS NOT NULL) p
  ),
  inserted AS (
    INSERT INTO "billing_transaction" (
      id, account_id, mandate_id, transaction_type, amount, currency, balance_after, description,
      reference_type, reference_id, workflow_id, feature_instance_id, feature_code, aicore_provider,
      aicore_model, created_by_user_id, processing_time, bytes_sent, bytes_received, error_count,
      provider_cost, idempotency_key, request_hash, created_at)
    SELECT s.id, s.account_id, s.mandate_id, 'DEBIT', (s.tx).amount, a.currency, s.balance_after,
           (s.tx).description, (s.tx).reference_type, (s.tx).reference_id, (s.tx).workflow_id,
           (s.tx).feature_instance_id, (s.tx).feature_code, (s.tx).aicore_provider, (s.tx).aicore_model,
           s.user_id, (s.tx).processing_time, (s.tx).bytes_sent, (s.tx).bytes_received, (s.tx).error_count,
           (s.tx).provider_cost, (s.tx).idempotency_key, (s.tx).request_hash, s.created_at
      FROM postings s
      JOIN "billing_account" a ON a.id = s.account_id
    RETURNING id
  ),
  -- Debits wait for the statistics roll-up as ledger_post's do, but summed per account, day,
  -- provider and feature: a batch adds a few hundred queue rows, not one per debit.
  enqueued AS (
    INSERT INTO "usage_rollup_queue" (account_id, day, provider, feature, amount, transaction_count)
    SELECT s.account_id, usage_period_start(s.created_at, 'DAY'), usage_breakdown_key((s.tx).aicore_provider),
           usage_breakdown_key((s.tx).feature_code), sum((s.tx).amount), count(*)
      FROM postings s
     GROUP BY 1, 2, 3, 4
  ),
  moved AS (
    UPDATE "billing_account" a SET balance = a.balance - d.total
      FROM (SELECT s.account_id, sum((s.tx).amount) AS total FROM postings s GROUP BY s.account_id) d
     WHERE a.id = d.account_id
  ),
  captured AS (
    UPDATE "billing_reservation" r SET status = 'CAPTURED', transaction_id = b.pool_tx_id, settled_at = now()
      FROM booked b
     WHERE b.reservation_id IS NOT NULL AND r.id = b.reservation_id
  )
  SELECT f.idx,
         CASE
           WHEN f.early = 'DUPLICATE' THEN 'duplicate'
           WHEN f.early IS NOT NULL OR f.hash <> f.owner_hash OR f.owner_verdict IS NOT NULL THEN 'rejected'
           WHEN f.booked THEN 'booked'
           ELSE 'duplicate'
         END,
         CASE
           WHEN f.early = 'DUPLICATE' THEN NULL
           WHEN f.early IS NOT NULL THEN f.early
           WHEN f.hash <> f.owner_hash THEN 'IDEMPOTENCY_CONFLICT'
           ELSE f.owner_verdict
         END,
         CASE
           WHEN f.early = 'DUPLICATE' THEN f.existing_id
           WHEN f.early IS NULL AND f.hash = f.owner_hash AND f.owner_verdict IS NULL THEN f.owner_tx_id
         END
    FROM final f
   ORDER BY f.idx;
END;
$$;


-- =============================================================================================
-- Reservations: closing the race between the billing check and the debit
--
-- A billing check that reserves decides and inserts its hold under the pool account's row lock,
-- so concurrent checks cannot all pass on a balance that covers only some of them
-- (available = balance - money held). Every change of a mandate's holds takes that lock first:
-- the reserving check, the capture by a usage debit (ledger_post takes it; the batch locks its
-- pools), the release and the expiry sweep. A hold is settled once: CAPTURED, RELEASED or EXPIRED.
--
-- Money held = billing_account.reserved_amount, the running total of the pool's OPEN holds kept
-- by the statement triggers at the end of this section, less the OPEN holds already past
-- expires_at that the sweep has not marked yet. So a hold stops holding money exactly at
-- expires_at whether the sweep has run or not; the sweep only keeps the second term small.

-- The money a pool holds right now, and how many expired holds were subtracted. The second part
-- reads (account_id, status, expires_at) only above billing_account.open_holds_expire_after, a
-- bound below which no OPEN hold of the account expires: without it, the range
-- `expires_at <= now()` would also walk the index entries of every hold marked or captured since
-- the last VACUUM (a status update leaves the old entry behind), a read that grows with time.
-- The trigger moves the bound down when a hold is written that expires earlier; the sweep, and a
-- reserving check that finds no expired hold, move it up, under the pool lock. A bound too high
-- would only keep money held until the sweep marks the hold, never free it early.
-- One statement, so both parts come from one snapshot, also for a plain check, which takes no
-- lock. LANGUAGE sql, STABLE, not STRICT: the planner inlines it where it is called, so EXPLAIN
-- of a call shows the plan the billing check runs.
CREATE FUNCTION billing_pool_held(p_account_id UUID)
RETURNS TABLE ("held" DECIMAL(30,6), "expired_holds" BIGINT)
LANGUAGE sql STABLE AS $$
  SELECT a.reserved_amount - x.amount, x.holds
    FROM "billing_account" a
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(r.amount), 0) AS amount, count(*) AS holds FROM "billing_reservation" r
      WHERE r.account_id = a.id AND r.status = 'OPEN'
        AND r.expires_at > a.open_holds_expire_after AND r.expires_at <= now()) x
   WHERE a.id = p_account_id
$$;

-- ---------------------------------------------------------------------------------------------
-- The billing check: the facts decideBillingCheck (lib/billing-check) needs and, when asked to
-- reserve, the reservation. Only the reserving path locks the pool; a plain check reads. The
-- insert condition mirrors decideBillingCheck's rules (membership, disabled accounts, provider
-- list, money); runBillingCheck refuses to answer when the two ever disagree. reserved_amount is
-- the money held before this call's own reservation. A retried reserving check (same
-- idempotency key, unique per mandate) returns its first reservation, whatever became of it.
--
-- Capture is part of the usage debit: ledger_post_usage and ledger_post_usage_batch above.
CREATE FUNCTION billing_check_reserve(
  p_mandate_id UUID,
  p_user_id UUID,
  p_provider TEXT,
  p_amount DECIMAL(30,6),
  p_reserve BOOLEAN,
  p_ttl_seconds INTEGER,
  p_idempotency_key TEXT
)
RETURNS TABLE (
  "balance" DECIMAL(30,6),
  "reserved_amount" DECIMAL(30,6),
  "pool_enabled" BOOLEAN,
  "allowed_providers" TEXT[],
  "role" "MandateRole",
  "user_account_enabled" BOOLEAN,
  "reservation_id" UUID,
  "reservation_expires_at" TIMESTAMPTZ(6),
  "replayed" BOOLEAN
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_pool "billing_account";
  v_allowed TEXT[];
  v_role "MandateRole";
  v_user_enabled BOOLEAN;
  v_reserved DECIMAL(30,6);
  v_expired_holds BIGINT;
  v_existing "billing_reservation";
  v_id UUID;
  v_expires_at TIMESTAMPTZ(6);
BEGIN
  IF p_amount IS NULL OR p_amount < 0 OR p_amount <> round(p_amount, 6) THEN
    RAISE EXCEPTION 'estimated cost must be >= 0 with at most 6 decimals' USING ERRCODE = 'BL400';
  END IF;
  IF p_reserve AND (p_ttl_seconds IS NULL OR p_ttl_seconds < 1) THEN
    RAISE EXCEPTION 'reservation TTL must be at least one second' USING ERRCODE = 'BL400';
  END IF;

  IF p_reserve THEN
    SELECT * INTO v_pool FROM "billing_account" WHERE mandate_id = p_mandate_id AND user_id IS NULL FOR UPDATE;
  ELSE
    SELECT * INTO v_pool FROM "billing_account" WHERE mandate_id = p_mandate_id AND user_id IS NULL;
  END IF;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'mandate % has no pool account', p_mandate_id USING ERRCODE = 'BL404';
  END IF;

  SELECT m.allowed_providers INTO v_allowed FROM "mandate" m WHERE m.id = p_mandate_id;
  IF p_user_id IS NOT NULL THEN
    SELECT mem.role INTO v_role FROM "membership" mem WHERE mem.mandate_id = p_mandate_id AND mem.user_id = p_user_id;
    SELECT a.enabled INTO v_user_enabled FROM "billing_account" a
     WHERE a.mandate_id = p_mandate_id AND a.user_id = p_user_id;
  END IF;

  -- Held now (billing_pool_held above). Under the pool lock (reserving check) neither part can
  -- change until commit: the sweep takes that lock before it marks a hold.
  SELECT h.held, h.expired_holds INTO v_reserved, v_expired_holds FROM billing_pool_held(v_pool.id) h;

  -- No OPEN hold has expired: all expire after now(), and the next check's range can start
  -- here. Once a second at most, since it writes the pool row (a pool whose holds are all
  -- captured in time is never visited by the sweep).
  IF p_reserve AND v_expired_holds = 0 AND v_pool.open_holds_expire_after < now() - interval '1 second' THEN
    UPDATE "billing_account" SET open_holds_expire_after = now() WHERE id = v_pool.id;
  END IF;

  IF p_reserve THEN
    -- A retried reserving check returns its reservation (whatever became of it since), and
    -- holds nothing twice. The key is unique per mandate, and the pool lock makes the look-up
    -- and the insert below one step.
    IF p_idempotency_key IS NOT NULL THEN
      SELECT * INTO v_existing FROM "billing_reservation" r
       WHERE r.mandate_id = p_mandate_id AND r.idempotency_key = p_idempotency_key;
      IF FOUND THEN
        IF v_existing.amount <> p_amount OR v_existing.user_id IS DISTINCT FROM p_user_id THEN
          RAISE EXCEPTION 'idempotency key % was used for a different reservation', p_idempotency_key
            USING ERRCODE = 'BL409';
        END IF;
        -- What else is held: the replayed hold itself does not count against its own check.
        IF v_existing.status = 'OPEN' AND v_existing.expires_at > now() THEN
          v_reserved := v_reserved - v_existing.amount;
        END IF;
        RETURN QUERY SELECT v_pool.balance, v_reserved, v_pool.enabled, v_allowed, v_role, v_user_enabled,
                            v_existing.id, v_existing.expires_at, TRUE;
        RETURN;
      END IF;
    END IF;
  END IF;

  IF p_reserve
     AND (p_user_id IS NULL OR v_role IS NOT NULL)
     AND v_pool.enabled AND coalesce(v_user_enabled, TRUE)
     AND (coalesce(p_provider, '') = '' OR cardinality(v_allowed) = 0 OR p_provider = ANY (v_allowed))
     AND v_pool.balance - v_reserved >= p_amount AND v_pool.balance - v_reserved >= 0
  THEN
    INSERT INTO "billing_reservation" (mandate_id, account_id, user_id, amount, idempotency_key, expires_at)
    VALUES (p_mandate_id, v_pool.id, p_user_id, p_amount, p_idempotency_key,
            now() + make_interval(secs => p_ttl_seconds))
    RETURNING id, expires_at INTO v_id, v_expires_at;
  END IF;

  RETURN QUERY SELECT v_pool.balance, v_reserved, v_pool.enabled, v_allowed, v_role, v_user_enabled,
                      v_id, v_expires_at, FALSE;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Releasing a reservation: the gateway gives a hold back when its AI call did not happen (or
-- failed before costing anything), so the money counts again at once instead of at expires_at.
-- The pool row first, then the hold, as a usage debit capturing the same hold takes them (the
-- other order could deadlock with it).
--
-- Outcomes, one row back each time (idempotent: a retry gets the same row and frees nothing):
--   OPEN, not yet expired -> RELEASED, settled_at = now(); released = true
--   OPEN, past expires_at -> EXPIRED, settled_at = expires_at (what the sweep would have written;
--                            it held nothing since expires_at); released = false
--   RELEASED or EXPIRED   -> unchanged; released = false
--   CAPTURED              -> BL410 (a debit settled it: there is nothing to give back)
--   another mandate's or unknown -> BL404
CREATE FUNCTION billing_reservation_release(p_mandate_id UUID, p_reservation_id UUID)
RETURNS TABLE (
  "id" UUID,
  "mandate_id" UUID,
  "user_id" UUID,
  "amount" DECIMAL(30,6),
  "status" "ReservationStatus",
  "expires_at" TIMESTAMPTZ(6),
  "created_at" TIMESTAMPTZ(6),
  "settled_at" TIMESTAMPTZ(6),
  "released" BOOLEAN
)
LANGUAGE plpgsql AS $$
DECLARE
  v_hold "billing_reservation";
  v_released BOOLEAN := FALSE;
BEGIN
  SELECT * INTO v_hold FROM "billing_reservation" r
   WHERE r.id = p_reservation_id AND r.mandate_id = p_mandate_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'reservation % not found', p_reservation_id USING ERRCODE = 'BL404';
  END IF;

  PERFORM 1 FROM "billing_account" a WHERE a.id = v_hold.account_id FOR UPDATE;
  -- Under the pool lock the status cannot change any more: read it again.
  SELECT * INTO v_hold FROM "billing_reservation" r WHERE r.id = p_reservation_id;

  IF v_hold.status = 'CAPTURED' THEN
    RAISE EXCEPTION 'reservation % was captured by a usage debit', p_reservation_id USING ERRCODE = 'BL410';
  END IF;
  IF v_hold.status = 'OPEN' THEN
    v_released := v_hold.expires_at > now();
    UPDATE "billing_reservation" r
       SET status = CASE WHEN v_released THEN 'RELEASED'::"ReservationStatus" ELSE 'EXPIRED' END,
           settled_at = CASE WHEN v_released THEN now() ELSE r.expires_at END
     WHERE r.id = p_reservation_id
    RETURNING * INTO v_hold;
  END IF;

  RETURN QUERY SELECT v_hold.id, v_hold.mandate_id, v_hold.user_id, v_hold.amount, v_hold.status,
                      v_hold.expires_at, v_hold.created_at, v_hold.settled_at, v_released;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- The expiry sweep, one pool at a time: marks up to p_limit of the pool's OPEN holds past their
-- expires_at as EXPIRED (settled at their expiry) and returns how many. It takes the pool lock
-- first, as every other writer of holds does (a sweep that took the holds first could deadlock
-- with the capture of the same expired hold), and holds it only for this pool's marks, so the
-- other mandates stay free. The app finds the pools with due holds through
-- billing_reservation_unsettled_expires_at_idx and calls this for each, every second
-- (lib/billing-check/reservation-expiry.ts).
CREATE FUNCTION billing_reservation_expire_account(p_account_id UUID, p_limit INTEGER)
RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  v_after TIMESTAMPTZ(6);
  v_marked INTEGER;
BEGIN
  IF p_limit IS NULL OR p_limit < 1 THEN
    RAISE EXCEPTION 'limit must be positive' USING ERRCODE = 'BL400';
  END IF;
  SELECT open_holds_expire_after INTO v_after FROM "billing_account" WHERE id = p_account_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  WITH due AS (
    SELECT id FROM "billing_reservation"
     WHERE account_id = p_account_id AND status = 'OPEN' AND expires_at > v_after AND expires_at <= now()
     ORDER BY expires_at
     LIMIT p_limit
  )
  UPDATE "billing_reservation" r SET status = 'EXPIRED', settled_at = r.expires_at
    FROM due
   WHERE r.id = due.id;
  GET DIAGNOSTICS v_marked = ROW_COUNT;
  -- All due holds marked: every OPEN hold left expires after now().
  IF v_marked < p_limit THEN
    UPDATE "billing_account" SET open_holds_expire_after = now()
     WHERE id = p_account_id AND open_holds_expire_after < now();
  END IF;
  RETURN v_marked;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- The running total billing_account.reserved_amount: adds to each pool the OPEN amounts a
-- statement brought in, takes away those it ended, and keeps open_holds_expire_after below every
-- OPEN hold it wrote. Triggers see every change of a hold, whoever makes it, so the total cannot
-- drift from the holds. Statement triggers with transition tables: a batch that captures a
-- thousand holds updates each pool once. The pool row they update is locked already by every
-- writer of holds (the lock order above).
CREATE FUNCTION billing_reservation_track_reserved()
RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "billing_account" a
       SET reserved_amount = a.reserved_amount + d.delta,
           open_holds_expire_after = least(a.open_holds_expire_after, d.first_expiry - interval '1 microsecond')
      FROM (SELECT account_id, sum(amount) AS delta, min(expires_at) AS first_expiry
              FROM held_new WHERE status = 'OPEN' GROUP BY account_id) d
     WHERE a.id = d.account_id;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "billing_account" a
       SET reserved_amount = a.reserved_amount + d.delta,
           open_holds_expire_after = least(a.open_holds_expire_after, d.first_expiry - interval '1 microsecond')
      FROM (SELECT c.account_id, sum(c.amount) AS delta, min(c.expires_at) AS first_expiry
              FROM (SELECT account_id, amount, expires_at FROM held_new WHERE status = 'OPEN'
                    UNION ALL
                    SELECT account_id, -amount, NULL FROM held_old WHERE status = 'OPEN') c
             GROUP BY c.account_id) d
     WHERE a.id = d.account_id AND (d.delta <> 0 OR d.first_expiry <= a.open_holds_expire_after);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "billing_account" a SET reserved_amount = a.reserved_amount - d.delta
      FROM (SELECT account_id, sum(amount) AS delta FROM held_old WHERE status = 'OPEN' GROUP BY account_id) d
     WHERE a.id = d.account_id;
  ELSE -- TRUNCATE
    UPDATE "billing_account" SET reserved_amount = 0 WHERE reserved_amount <> 0;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER billing_reservation_reserved_insert
  AFTER INSERT ON "billing_reservation" REFERENCING NEW TABLE AS held_new
  FOR EACH STATEMENT EXECUTE FUNCTION billing_reservation_track_reserved();
CREATE TRIGGER billing_reservation_reserved_update
  AFTER UPDATE ON "billing_reservation" REFERENCING OLD TABLE AS held_old NEW TABLE AS held_new
  FOR EACH STATEMENT EXECUTE FUNCTION billing_reservation_track_reserved();
CREATE TRIGGER billing_reservation_reserved_delete
  AFTER DELETE ON "billing_reservation" REFERENCING OLD TABLE AS held_old
  FOR EACH STATEMENT EXECUTE FUNCTION billing_reservation_track_reserved();
CREATE TRIGGER billing_reservation_reserved_truncate
  AFTER TRUNCATE ON "billing_reservation"
  FOR EACH STATEMENT EXECUTE FUNCTION billing_reservation_track_reserved();


-- =============================================================================================
-- Usage statistics (docs/architecture.md, "Usage statistics")
--
-- usage_statistics holds, per account (pool and user audit accounts) and per DAY, MONTH and YEAR
-- of the business time zone Europe/Zurich, the cost and count of the account's DEBITs (usage and
-- storage) with their breakdown by AI provider and by feature. It is derived data: it must equal
-- the sum of the underlying transactions exactly, yet a booking must never wait on it, since one
-- aggregate row per mandate and day would serialise every debit of that mandate.
--
-- So a booking only appends its debits to usage_rollup_queue, summed, in the same statement that
-- books them, and usage_rollup() drains the queue in batches (FOR UPDATE SKIP LOCKED: any number
-- of roll-up workers) and adds each batch to the aggregates in the same transaction that deletes
-- it from the queue. Every debit is therefore counted once: either it is still queued or it is in
-- usage_statistics, never both, never neither. Readers that must be exact add the queued sums of
-- their account (lib/stats/get-statistics.ts).
--
-- Every function that inserts a DEBIT into billing_transaction must also enqueue it, in the same
-- transaction: ledger_post and ledger_post_usage_batch do.

-- The first day of the period containing p_at, on the Swiss business calendar (a debit at
-- 23:30 UTC on 31 December belongs to January 1st in Zurich). Not STRICT, so that the planner
-- inlines it instead of calling a function per row (a STRICT SQL function is inlined only when
-- its body is strict, and CASE is not); a NULL argument still gives NULL.
CREATE FUNCTION usage_period_start(p_at TIMESTAMPTZ, p_period "PeriodType")
RETURNS DATE
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE p_period
            WHEN 'DAY' THEN date_trunc('day', timezone('Europe/Zurich', p_at))
            WHEN 'MONTH' THEN date_trunc('month', timezone('Europe/Zurich', p_at))
            WHEN 'YEAR' THEN date_trunc('year', timezone('Europe/Zurich', p_at))
          END)::date
$$;

-- The period containing a business day (usage_period_start for a date that is already local).
-- Not STRICT, for the same reason.
CREATE FUNCTION usage_day_period_start(p_day DATE, p_period "PeriodType")
RETURNS DATE
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE p_period
           WHEN 'DAY' THEN p_day
           WHEN 'MONTH' THEN date_trunc('month', p_day::timestamp)::date
           WHEN 'YEAR' THEN date_trunc('year', p_day::timestamp)::date
         END
$$;

-- Debits without a provider (storage overage) or without a feature code are kept under
-- 'unknown', so that each breakdown always adds up to the total.
CREATE FUNCTION usage_breakdown_key(p_value TEXT)
RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(p_value, 'unknown')
$$;

-- Adds two breakdowns ({"anthropic": "12.500000"}): numeric addition of decimal strings, exact.
CREATE FUNCTION usage_breakdown_add(p_a JSONB, p_b JSONB)
RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(key, amount::numeric(30,6)::text), '{}'::jsonb)
    FROM (SELECT e.key, sum(e.value::numeric) AS amount
            FROM (SELECT * FROM jsonb_each_text(coalesce(p_a, '{}'::jsonb))
                  UNION ALL
                  SELECT * FROM jsonb_each_text(coalesce(p_b, '{}'::jsonb))) e
           GROUP BY e.key) s
$$;

-- ---------------------------------------------------------------------------------------------
-- Drains up to p_batch_size queue rows and adds them to usage_statistics, in one statement (so in
-- one transaction: the queue rows go exactly when their sums arrive). Returns how many queue rows
-- it took; fewer than p_batch_size means the queue was empty for this worker. The rows carry
-- everything needed, so the roll-up never reads billing_transaction.
--
-- SKIP LOCKED lets several workers drain at once without waiting for each other.
--
-- Lock order, so that the roll-up cannot deadlock with bookings or with another roll-up: the
-- upsert takes the aggregate rows in one global order, and a new aggregate row's foreign key
-- check (run at the end of the statement, in insert order) takes FOR KEY SHARE on its account,
-- which waits for a booking holding that account FOR UPDATE. Bookers lock pools first, then audit
-- accounts, each by id; the rows are inserted in that same order (pool accounts first, then by
-- account id, period type, period start), so every waiter waits only for locks later in one
-- global order.
CREATE FUNCTION usage_rollup(p_batch_size INTEGER)
RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  v_drained INTEGER;
BEGIN
  IF p_batch_size IS NULL OR p_batch_size < 1 THEN
    RAISE EXCEPTION 'batch size must be positive' USING ERRCODE = 'BL400';
  END IF;

  WITH picked AS (
    SELECT id FROM "usage_rollup_queue" LIMIT p_batch_size FOR UPDATE SKIP LOCKED
  ), drained AS (
    DELETE FROM "usage_rollup_queue" q USING picked
     WHERE q.id = picked.id
    RETURNING q.account_id, q.day, q.provider, q.feature, q.amount, q.transaction_count
  ), per_period AS (
    SELECT d.account_id, p.period_type, usage_day_period_start(d.day, p.period_type) AS period_start,
           d.amount, d.transaction_count, d.provider, d.feature
      FROM drained d CROSS JOIN (VALUES ('DAY'::"PeriodType"), ('MONTH'), ('YEAR')) AS p(period_type)
  ), totals AS (
    SELECT account_id, period_type, period_start, sum(amount) AS total, sum(transaction_count) AS cnt
      FROM per_period GROUP BY account_id, period_type, period_start
  ), breakdowns AS (
    SELECT account_id, period_type, period_start, dim,
           jsonb_object_agg(key, amount::numeric(30,6)::text) AS breakdown
      FROM (SELECT account_id, period_type, period_start, 'provider' AS dim, provider AS key, sum(amount) AS amount
              FROM per_period GROUP BY account_id, period_type, period_start, provider
            UNION ALL
            SELECT account_id, period_type, period_start, 'feature', feature, sum(amount)
              FROM per_period GROUP BY account_id, period_type, period_start, feature) s
     GROUP BY account_id, period_type, period_start, dim
  ), upserted AS (
    INSERT INTO "usage_statistics" AS s
           (account_id, period_type, period_start, total_cost_chf, transaction_count,
            cost_by_provider, cost_by_feature, updated_at)
    SELECT t.account_id, t.period_type, t.period_start, t.total, t.cnt, p.breakdown, f.breakdown, now()
      FROM totals t
      JOIN breakdowns p ON (p.account_id, p.period_type, p.period_start, p.dim)
                         = (t.account_id, t.period_type, t.period_start, 'provider')
      JOIN breakdowns f ON (f.account_id, f.period_type, f.period_start, f.dim)
                         = (t.account_id, t.period_type, t.period_start, 'feature')
      JOIN "billing_account" a ON a.id = t.account_id
     ORDER BY a.user_id IS NOT NULL, t.account_id, t.period_type, t.period_start
    ON CONFLICT (account_id, period_type, period_start) DO UPDATE SET
      total_cost_chf = s.total_cost_chf + EXCLUDED.total_cost_chf,
      transaction_count = s.transaction_count + EXCLUDED.transaction_count,
      cost_by_provider = usage_breakdown_add(s.cost_by_provider, EXCLUDED.cost_by_provider),
      cost_by_feature = usage_breakdown_add(s.cost_by_feature, EXCLUDED.cost_by_feature),
      updated_at = now()
    RETURNING 1
  )
  -- A data-modifying CTE always runs to completion, whether or not it is read here.
  SELECT count(*) INTO v_drained FROM drained;

  RETURN v_drained;
END;
$$;
