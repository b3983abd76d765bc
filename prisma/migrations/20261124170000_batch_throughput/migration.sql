-- Cheaper bookings, written by hand (see docs/architecture.md, "Booking throughput").
--
-- 1. Time-ordered transaction ids. A random UUID lands on a random leaf of the primary-key index,
--    so every insert dirtied another page of an index far larger than shared_buffers, and the
--    first change of each page after a checkpoint wrote the whole page to the WAL. UUIDv7 ids
--    (RFC 9562: a millisecond timestamp, then random bits) are still unique and unguessable
--    enough, and they append to the right edge of the index like a sequence. PostgreSQL 18 has
--    uuidv7(); 17 does not, hence ledger_uuid_v7().
-- 2. The roll-up queue holds sums instead of transaction ids: per account, business day,
--    provider and feature, the amount and count of the debits one statement booked. A single
--    debit still adds one row; a batch of 1,000 events adds one row per group (a few hundred at
--    most) instead of 2,000, and neither the roll-up nor an exact statistics read has to look
--    the debits up in billing_transaction any more.
-- 3. The indexes on (mandate_id, aicore_provider, created_at) and (mandate_id, feature_code,
--    created_at) go. They served statistics before the roll-up existed; now only the
--    transaction list's provider and feature filters could use them, and those walk the
--    (mandate_id, created_at) or (account_id, created_at) index instead. Each index cost every
--    booking one more random index insert.

-- ---------------------------------------------------------------------------------------------
-- A version 7 UUID: 48 bits of Unix time in milliseconds, the version and variant bits, and 74
-- random bits from gen_random_uuid().
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

-- The period containing a business day (usage_period_start for a date that is already local).
CREATE FUNCTION usage_day_period_start(p_day DATE, p_period "PeriodType")
RETURNS DATE
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE p_period
           WHEN 'DAY' THEN p_day
           WHEN 'MONTH' THEN date_trunc('month', p_day::timestamp)::date
           WHEN 'YEAR' THEN date_trunc('year', p_day::timestamp)::date
         END
$$;

-- DropIndex
DROP INDEX "billing_transaction_mandate_id_aicore_provider_created_at_idx";

-- DropIndex
DROP INDEX "billing_transaction_mandate_id_feature_code_created_at_idx";

-- ---------------------------------------------------------------------------------------------
-- The queue, from transaction ids to sums. The lock holds bookings back (they insert into
-- billing_transaction) until the new functions are in place, so no debit is queued in the old
-- form after the old queue was read; the roll-up of the old form is not running either, since it
-- takes the old queue rows FOR UPDATE. Whatever the old queue held is carried over, summed.
LOCK TABLE "billing_transaction" IN SHARE MODE;
LOCK TABLE "usage_rollup_queue" IN ACCESS EXCLUSIVE MODE;

CREATE TEMPORARY TABLE "usage_rollup_carry_over" ON COMMIT DROP AS
SELECT t.account_id, usage_period_start(t.created_at, 'DAY') AS day,
       usage_breakdown_key(t.aicore_provider) AS provider, usage_breakdown_key(t.feature_code) AS feature,
       sum(t.amount) AS amount, count(*)::int AS transaction_count
  FROM "usage_rollup_queue" q JOIN "billing_transaction" t ON t.id = q.transaction_id
 WHERE t.transaction_type = 'DEBIT'
 GROUP BY 1, 2, 3, 4;

DROP TABLE "usage_rollup_queue";

-- CreateTable
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

INSERT INTO "usage_rollup_queue" (account_id, day, provider, feature, amount, transaction_count)
SELECT account_id, day, provider, feature, amount, transaction_count FROM "usage_rollup_carry_over";

-- ---------------------------------------------------------------------------------------------
-- ledger_post as in *_usage_rollup, with a UUIDv7 id and the debit queued as a sum of one.
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
-- ledger_post_usage_batch as in *_reservations, with UUIDv7 ids and the debits queued as sums.
CREATE OR REPLACE FUNCTION ledger_post_usage_batch(p_events JSONB)
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

-- ---------------------------------------------------------------------------------------------
-- usage_rollup as in *_usage_rollup, reading the sums. The lock order argument there still holds:
-- the upsert takes the aggregate rows in the same global order.
CREATE OR REPLACE FUNCTION usage_rollup(p_batch_size INTEGER)
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
