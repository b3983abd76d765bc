-- Ledger core, written by hand (Prisma cannot express any of it in schema.prisma).
--
-- Invariants enforced here, in the database, so no code path can break them:
--   * billing_transaction rows are immutable (no UPDATE, DELETE or TRUNCATE);
--   * amounts have the right sign for their type;
--   * an account's balance changes only together with the transaction that explains it,
--     inside ledger_post(), under the account's row lock, so balance = sum(transactions).
--
-- Errors raised for callers use SQLSTATEs of class 'BL' (billing ledger); lib/ledger maps them
-- to DomainError codes:
--   BL404 account or mandate not found      BL403 account disabled
--   BL409 idempotency key reused with another payload
--   BL422 user is not a member of the mandate
--   BL400 amount invalid (sign, scale)

-- ---------------------------------------------------------------------------------------------
-- Immutability
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
-- Row checks
ALTER TABLE "billing_transaction" ADD CONSTRAINT "billing_transaction_amount_sign_check" CHECK (
  ("transaction_type" IN ('CREDIT', 'DEBIT') AND "amount" > 0)
  OR ("transaction_type" = 'ADJUSTMENT' AND "amount" <> 0)
);
ALTER TABLE "billing_transaction" ADD CONSTRAINT "billing_transaction_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "billing_transaction" ADD CONSTRAINT "billing_transaction_counts_check" CHECK (
  coalesce("bytes_sent", 0) >= 0 AND coalesce("bytes_received", 0) >= 0
  AND coalesce("error_count", 0) >= 0 AND coalesce("processing_time", 0) >= 0
  AND coalesce("provider_cost", 0) >= 0
);
ALTER TABLE "billing_account" ADD CONSTRAINT "billing_account_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "billing_account" ADD CONSTRAINT "billing_account_warning_threshold_check" CHECK ("warning_threshold" >= 0);
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_warning_threshold_percent_check"
  CHECK ("warning_threshold_percent" BETWEEN 0 AND 100);
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_recharge_check"
  CHECK ("recharge_amount_chf" > 0 AND "recharge_max_per_month" >= 0 AND "recharges_this_month" >= 0);
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_storage_check"
  CHECK ("storage_high_watermark_mb" >= 0 AND "storage_billed_up_to_mb" >= 0);

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

-- Books one transaction on one account. The caller fills p_tx with everything but
-- id, account_id, mandate_id, currency, balance_after (and created_at, unless set).
-- The account row lock serialises bookings per account, which makes balance_after exact
-- and the idempotency look-up race-free without relying on a unique-violation retry.
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

  p_tx.id := gen_random_uuid();
  p_tx.account_id := p_account_id;
  p_tx.mandate_id := v_account.mandate_id;
  p_tx.currency := v_account.currency;
  p_tx.balance_after := v_account.balance + v_delta;
  p_tx.created_at := coalesce(p_tx.created_at, now());

  INSERT INTO "billing_transaction" SELECT p_tx.*;
  UPDATE "billing_account" SET balance = p_tx.balance_after WHERE id = p_account_id;

  RETURN ROW(p_tx.id, p_account_id, p_tx.transaction_type, p_tx.amount, p_tx.balance_after,
             p_tx.created_at, FALSE)::ledger_booking;
END;
$$;

-- Books an AI call: a DEBIT on the mandate's pool account and, when a user is given, the
-- same DEBIT on that user's audit account (created on first use), atomically. The pool is
-- locked before the audit account, always, so concurrent usage cannot deadlock. Usage may
-- take the pool below zero (the call already happened); only the billing check says no.
CREATE FUNCTION ledger_post_usage(p_mandate_id UUID, p_user_id UUID, p_tx "billing_transaction")
RETURNS SETOF ledger_booking
LANGUAGE plpgsql AS $$
DECLARE
  v_pool_id UUID;
  v_audit_id UUID;
  v_pool ledger_booking;
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
