-- Usage statistics roll-up, written by hand (see docs/architecture.md, "Usage statistics").
--
-- usage_statistics holds, per account (pool and user audit accounts) and per DAY, MONTH and YEAR
-- of the business time zone Europe/Zurich, the cost and count of the account's DEBITs (usage and
-- storage) with their breakdown by AI provider and by feature. It is derived data: it must equal
-- the sum of the underlying transactions exactly, yet a booking must never wait on it, since one
-- aggregate row per mandate and day would serialise every debit of that mandate.
--
-- So a booking only appends the debit's id to usage_rollup_queue (its own row, no contention),
-- in the same statement that books it, and usage_rollup() drains the queue in batches
-- (FOR UPDATE SKIP LOCKED: any number of roll-up workers) and adds each batch to the aggregates
-- in the same transaction that deletes it from the queue. Every debit is therefore counted once:
-- either it is still queued or it is in usage_statistics, never both, never neither. Readers that
-- must be exact add the queued debits of their account (lib/stats/get-statistics.ts).
--
-- Every function that inserts a DEBIT into billing_transaction must also insert its id into
-- usage_rollup_queue in the same transaction. ledger_post does (below); so must any set-based
-- booking function that bypasses it.

-- ---------------------------------------------------------------------------------------------
-- The rules of the aggregation, in one place for the roll-up and for exact reads.

-- The first day of the period containing p_at, on the Swiss business calendar (a debit at
-- 23:30 UTC on 31 December belongs to January 1st in Zurich).
CREATE FUNCTION usage_period_start(p_at TIMESTAMPTZ, p_period "PeriodType")
RETURNS DATE
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (CASE p_period
            WHEN 'DAY' THEN date_trunc('day', timezone('Europe/Zurich', p_at))
            WHEN 'MONTH' THEN date_trunc('month', timezone('Europe/Zurich', p_at))
            WHEN 'YEAR' THEN date_trunc('year', timezone('Europe/Zurich', p_at))
          END)::date
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
-- ledger_post from *_ledger_core, unchanged but for the enqueue of debits.
--
-- Books one transaction on one account. The caller fills p_tx with everything but
-- id, account_id, mandate_id, currency, balance_after (and created_at, unless set).
-- The account row lock serialises bookings per account, which makes balance_after exact
-- and the idempotency look-up race-free without relying on a unique-violation retry.
CREATE OR REPLACE FUNCTION ledger_post(p_account_id UUID, p_tx "billing_transaction", p_require_enabled BOOLEAN)
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
  -- Usage statistics: the debit joins the roll-up queue in the same statement (see above).
  IF p_tx.transaction_type = 'DEBIT' THEN
    INSERT INTO "usage_rollup_queue" (transaction_id) VALUES (p_tx.id);
  END IF;
  UPDATE "billing_account" SET balance = p_tx.balance_after WHERE id = p_account_id;

  RETURN ROW(p_tx.id, p_account_id, p_tx.transaction_type, p_tx.amount, p_tx.balance_after,
             p_tx.created_at, FALSE)::ledger_booking;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Drains up to p_batch_size queued debits and adds them to usage_statistics, in one statement
-- (so in one transaction: the queue rows go exactly when their sums arrive). Returns how many
-- queue entries it took; fewer than p_batch_size means the queue was empty for this worker.
--
-- SKIP LOCKED lets several workers drain at once without waiting for each other.
--
-- Lock order, so that the roll-up cannot deadlock with bookings or with another roll-up:
-- the upsert takes the aggregate rows in one global order, and a new aggregate row's foreign
-- key check (run at the end of the statement, in insert order) takes FOR KEY SHARE on its
-- account, which waits for a booking holding that account FOR UPDATE. Bookers lock accounts
-- pools first, then audit accounts, each by id (ledger_post_usage, ledger_post_usage_batch);
-- the rows are inserted in that same order (pool accounts first, then by account id, period
-- type, period start), so every waiter waits only for locks later in one global order.
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
    SELECT transaction_id FROM "usage_rollup_queue" LIMIT p_batch_size FOR UPDATE SKIP LOCKED
  ), drained AS (
    DELETE FROM "usage_rollup_queue" q USING picked
     WHERE q.transaction_id = picked.transaction_id
    RETURNING q.transaction_id
  ), debits AS (
    -- Only DEBITs count; anything else queued by mistake leaves the queue uncounted.
    SELECT t.account_id, t.amount, t.created_at,
           usage_breakdown_key(t.aicore_provider) AS provider,
           usage_breakdown_key(t.feature_code) AS feature
      FROM drained d JOIN "billing_transaction" t ON t.id = d.transaction_id
     WHERE t.transaction_type = 'DEBIT'
  ), per_period AS (
    SELECT d.account_id, p.period_type, usage_period_start(d.created_at, p.period_type) AS period_start,
           d.amount, d.provider, d.feature
      FROM debits d CROSS JOIN (VALUES ('DAY'::"PeriodType"), ('MONTH'), ('YEAR')) AS p(period_type)
  ), totals AS (
    SELECT account_id, period_type, period_start, sum(amount) AS total, count(*) AS cnt
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

-- ---------------------------------------------------------------------------------------------
-- Debits booked before this migration: rebuild the statistics from the ledger. Nothing wrote
-- usage_statistics before, so emptying it loses nothing and rules out counting a debit twice.
-- The lock waits for the bookings in flight to commit, so every debit committed before it is
-- queued here, and holds new bookings back until the new ledger_post is in place. A booking
-- already running the old ledger_post when the lock is taken still finishes with the old body and
-- is not queued: migrate with bookings quiesced, or rebuild afterwards (docs/architecture.md).
LOCK TABLE "billing_transaction" IN SHARE MODE;
DELETE FROM "usage_statistics";
INSERT INTO "usage_rollup_queue" (transaction_id)
SELECT id FROM "billing_transaction" WHERE transaction_type = 'DEBIT'
ON CONFLICT (transaction_id) DO NOTHING;
