-- Cost by model on the statistics page (issue 17, item 6).
--
-- usage_statistics already holds every account's usage per business period, and a user's usage
-- is their user audit account's: cost by user is read from those rows, no new dimension needed.
-- The model is not kept: the queue carries the provider and the feature only. So
--   usage_rollup_queue.model   usage_breakdown_key(aicore_model), summed like provider and feature,
--   usage_statistics.cost_by_model  { "gpt-4o": "12.500000", ... }, decimal strings as the others,
-- and the three functions that write them (ledger_post, ledger_post_usage_batch, usage_rollup)
-- are redefined with the model beside the provider, otherwise unchanged.
--
-- Existing figures: the queue is rolled up first (with the old roll-up: its rows know no model),
-- then cost_by_model is computed once from the ledger's debits for every existing statistics
-- row, by the same bucketing the roll-up uses, so each breakdown adds up to its total. The ALTER
-- of the queue comes first and holds its lock until commit, so no booking can enqueue a row
-- without a model in between.

ALTER TABLE "usage_rollup_queue" ADD COLUMN "model" TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE "usage_statistics" ADD COLUMN "cost_by_model" JSONB NOT NULL DEFAULT '{}';

DO $$
BEGIN
  WHILE usage_rollup(50000) > 0 LOOP
  END LOOP;
END;
$$;

UPDATE "usage_statistics" s SET cost_by_model = m.breakdown
  FROM (
    SELECT account_id, period_type, period_start, jsonb_object_agg(model, amount::numeric(30,6)::text) AS breakdown
      FROM (SELECT d.account_id, p.period_type, usage_day_period_start(d.day, p.period_type) AS period_start,
                   d.model, sum(d.amount) AS amount
              FROM (SELECT t.account_id, usage_period_start(t.created_at, 'DAY') AS day,
                           usage_breakdown_key(t.aicore_model) AS model, sum(t.amount) AS amount
                      FROM "billing_transaction" t
                     WHERE t.transaction_type = 'DEBIT'
                     GROUP BY 1, 2, 3) d
             CROSS JOIN (VALUES ('DAY'::"PeriodType"), ('MONTH'), ('YEAR')) AS p(period_type)
             GROUP BY 1, 2, 3, 4) x
     GROUP BY 1, 2, 3
  ) m
 WHERE (s.account_id, s.period_type, s.period_start) = (m.account_id, m.period_type, m.period_start);

-- Cost by user reads a mandate's audit accounts' rows of one period type and range.
-- (usage_statistics_account_id_period_type_period_start_key serves it, per account.)

-- ---------------------------------------------------------------------------------------------
-- ledger_post (as in 20261205400000_booking_order), the debit's model queued with it.
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

  INSERT INTO "billing_transaction" (
    id, account_id, mandate_id, transaction_type, amount, currency, balance_after, description,
    reference_type, reference_id, workflow_id, feature_instance_id, feature_code, aicore_provider,
    aicore_model, created_by_user_id, processing_time, bytes_sent, bytes_received, error_count,
    provider_cost, idempotency_key, request_hash, created_at, booked_at)
  VALUES (
    p_tx.id, p_tx.account_id, p_tx.mandate_id, p_tx.transaction_type, p_tx.amount, p_tx.currency,
    p_tx.balance_after, p_tx.description, p_tx.reference_type, p_tx.reference_id, p_tx.workflow_id,
    p_tx.feature_instance_id, p_tx.feature_code, p_tx.aicore_provider, p_tx.aicore_model,
    p_tx.created_by_user_id, p_tx.processing_time, p_tx.bytes_sent, p_tx.bytes_received, p_tx.error_count,
    p_tx.provider_cost, p_tx.idempotency_key, p_tx.request_hash, p_tx.created_at, clock_timestamp());
  -- Usage statistics: the debit joins the roll-up queue in the same statement.
  IF p_tx.transaction_type = 'DEBIT' THEN
    INSERT INTO "usage_rollup_queue" (account_id, day, provider, feature, model, amount, transaction_count)
    VALUES (p_account_id, usage_period_start(p_tx.created_at, 'DAY'), usage_breakdown_key(p_tx.aicore_provider),
            usage_breakdown_key(p_tx.feature_code), usage_breakdown_key(p_tx.aicore_model), p_tx.amount, 1);
  END IF;
  UPDATE "billing_account" SET balance = p_tx.balance_after WHERE id = p_account_id;

  RETURN ROW(p_tx.id, p_account_id, p_tx.transaction_type, p_tx.amount, p_tx.balance_after,
             p_tx.created_at, FALSE)::ledger_booking;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- ledger_post_usage_batch (as in 20261205400000_booking_order), the debits summed per model too.
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

  -- Audit accounts are created on first use, as ledger_post_usage does: for members, and for
  -- a user a reservation of the batch was held for (the billing check saw them as a member).
  -- After this, an event's user is attributed exactly when their audit account exists.
  -- Only holders of the pool lock create a mandate's audit accounts, so these inserts never race.
  INSERT INTO "billing_account" (mandate_id, user_id)
  SELECT pr.m, pr.u
    FROM unnest(v_pair_mandates, v_pair_users) AS pr(m, u)
    JOIN "billing_account" p ON p.mandate_id = pr.m AND p.user_id IS NULL
   WHERE EXISTS (SELECT 1 FROM "membership" mem WHERE mem.mandate_id = pr.m AND mem.user_id = pr.u)
      OR (EXISTS (SELECT 1 FROM unnest(v_events) e
                    JOIN "billing_reservation" r ON r.id = e.reservation_id AND r.mandate_id = e.mandate_id
                   WHERE e.mandate_id = pr.m AND e.user_id = pr.u AND r.user_id = pr.u)
          AND EXISTS (SELECT 1 FROM "app_user" u WHERE u.id = pr.u))
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
           -- Only these refuse an event, and a replay comes before any state check.
           CASE
             WHEN p.id IS NULL THEN 'NOT_FOUND'
             WHEN x.id IS NOT NULL AND x.request_hash <> (ev.tx).request_hash THEN 'IDEMPOTENCY_CONFLICT'
             WHEN x.id IS NOT NULL THEN 'DUPLICATE'
           END AS early,
           -- The reservation this event may capture (OPEN or EXPIRED), if the first to name it.
           r.id IS NOT NULL AND r.status IN ('OPEN', 'EXPIRED') AS capturable,
           -- What was unusual, as ledger_post_usage notes it (the in-batch capture note is added
           -- in judged).
           array_remove(ARRAY[
             CASE WHEN NOT p.enabled THEN 'pool account disabled' END,
             CASE WHEN ev.reservation_id IS NOT NULL AND r.id IS NULL
                  THEN format('reservation %s not found', ev.reservation_id) END,
             CASE WHEN r.status = 'CAPTURED'
                  THEN format('reservation %s already captured by transaction %s', r.id, r.transaction_id) END,
             CASE WHEN r.status = 'RELEASED' THEN format('reservation %s was released', r.id) END,
             CASE WHEN ev.user_id IS NOT NULL AND ua.id IS NULL
                  THEN format('user %s is not a member of the mandate: not attributed', ev.user_id) END,
             CASE WHEN ua.id IS NOT NULL AND mem.user_id IS NULL THEN 'user no longer a member of the mandate' END,
             CASE WHEN ua.id IS NOT NULL AND NOT ua.enabled THEN 'user account disabled' END
           ], NULL) AS notes
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
  -- Every owner is booked (verdict null: nothing refuses it any more). Of the owners naming a
  -- capturable reservation, the first captures it; the others note it.
  judged AS (
    SELECT k.*, NULL::TEXT AS verdict,
           k.capturable AND k.open AND k.idx = k.owner_idx
             AND row_number() OVER (PARTITION BY k.reservation_id, k.capturable AND k.open AND k.idx = k.owner_idx
                                    ORDER BY k.idx) = 1 AS captures
      FROM keyed k
  ),
  -- The owner's verdict for the rest of its key, and the running balances in batch order.
  final AS MATERIALIZED (
    SELECT j.idx, j.user_id, j.reservation_id, j.pool_id, j.audit_id, j.existing_id, j.early, j.captures,
           CASE WHEN j.capturable AND NOT j.captures
                THEN j.notes || format('reservation %s captured by an earlier event of the batch', j.reservation_id)
                ELSE j.notes END AS notes,
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
    SELECT f.idx, CASE WHEN f.audit_id IS NOT NULL THEN f.user_id END AS user_id, f.reservation_id, f.captures,
           f.pool_id, f.audit_id, f.pool_tx_id, f.pool_balance_after, f.audit_balance_after, ev.mandate_id, ev.tx,
           CASE WHEN cardinality(f.notes) > 0
                THEN (ev.tx).description || ' [booked although: ' || array_to_string(f.notes, '; ') || ']'
                ELSE (ev.tx).description END AS description
      FROM final f
      JOIN ev ON ev.idx = f.idx
     WHERE f.booked
  ),
  postings AS MATERIALIZED (
    SELECT p.*, coalesce((p.tx).created_at, now()) AS created_at
      FROM (SELECT b.idx, b.pool_tx_id AS id, b.pool_id AS account_id, b.pool_balance_after AS balance_after,
                   b.mandate_id, b.user_id, b.tx, b.description
              FROM booked b
            UNION ALL
            SELECT b.idx, ledger_uuid_v7(), b.audit_id, b.audit_balance_after, b.mandate_id, b.user_id, b.tx,
                   b.description
              FROM booked b
             WHERE b.audit_id IS NOT NULL) p
  ),
  inserted AS (
    INSERT INTO "billing_transaction" (
      id, account_id, mandate_id, transaction_type, amount, currency, balance_after, description,
      reference_type, reference_id, workflow_id, feature_instance_id, feature_code, aicore_provider,
      aicore_model, created_by_user_id, processing_time, bytes_sent, bytes_received, error_count,
      provider_cost, idempotency_key, request_hash, created_at, booked_at)
    SELECT s.id, s.account_id, s.mandate_id, 'DEBIT', (s.tx).amount, a.currency, s.balance_after,
           s.description, (s.tx).reference_type, (s.tx).reference_id, (s.tx).workflow_id,
           (s.tx).feature_instance_id, (s.tx).feature_code, (s.tx).aicore_provider, (s.tx).aicore_model,
           s.user_id, (s.tx).processing_time, (s.tx).bytes_sent, (s.tx).bytes_received, (s.tx).error_count,
           (s.tx).provider_cost, (s.tx).idempotency_key, (s.tx).request_hash, s.created_at, clock_timestamp()
      FROM postings s
      JOIN "billing_account" a ON a.id = s.account_id
     -- booking_sequence is drawn as the rows arrive: in batch order, the order balance_after ran in.
     ORDER BY s.idx
    RETURNING id
  ),
  -- Debits wait for the statistics roll-up as ledger_post's do, but summed per account, day,
  -- provider, feature and model: a batch adds a few hundred queue rows, not one per debit.
  enqueued AS (
    INSERT INTO "usage_rollup_queue" (account_id, day, provider, feature, model, amount, transaction_count)
    SELECT s.account_id, usage_period_start(s.created_at, 'DAY'), usage_breakdown_key((s.tx).aicore_provider),
           usage_breakdown_key((s.tx).feature_code), usage_breakdown_key((s.tx).aicore_model),
           sum((s.tx).amount), count(*)
      FROM postings s
     GROUP BY 1, 2, 3, 4, 5
  ),
  moved AS (
    UPDATE "billing_account" a SET balance = a.balance - d.total
      FROM (SELECT s.account_id, sum((s.tx).amount) AS total FROM postings s GROUP BY s.account_id) d
     WHERE a.id = d.account_id
  ),
  captured AS (
    UPDATE "billing_reservation" r SET status = 'CAPTURED', transaction_id = b.pool_tx_id, settled_at = now()
      FROM booked b
     WHERE b.captures AND r.id = b.reservation_id
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
-- usage_rollup (as in 20261201000000_baseline), with the model breakdown beside provider and feature.
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
    RETURNING q.account_id, q.day, q.provider, q.feature, q.model, q.amount, q.transaction_count
  ), per_period AS (
    SELECT d.account_id, p.period_type, usage_day_period_start(d.day, p.period_type) AS period_start,
           d.amount, d.transaction_count, d.provider, d.feature, d.model
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
              FROM per_period GROUP BY account_id, period_type, period_start, feature
            UNION ALL
            SELECT account_id, period_type, period_start, 'model', model, sum(amount)
              FROM per_period GROUP BY account_id, period_type, period_start, model) s
     GROUP BY account_id, period_type, period_start, dim
  ), upserted AS (
    INSERT INTO "usage_statistics" AS s
           (account_id, period_type, period_start, total_cost_chf, transaction_count,
            cost_by_provider, cost_by_feature, cost_by_model, updated_at)
    SELECT t.account_id, t.period_type, t.period_start, t.total, t.cnt, p.breakdown, f.breakdown, m.breakdown, now()
      FROM totals t
      JOIN breakdowns p ON (p.account_id, p.period_type, p.period_start, p.dim)
                         = (t.account_id, t.period_type, t.period_start, 'provider')
      JOIN breakdowns f ON (f.account_id, f.period_type, f.period_start, f.dim)
                         = (t.account_id, t.period_type, t.period_start, 'feature')
      JOIN breakdowns m ON (m.account_id, m.period_type, m.period_start, m.dim)
                         = (t.account_id, t.period_type, t.period_start, 'model')
      JOIN "billing_account" a ON a.id = t.account_id
     -- The lock order of the baseline's comment: pool accounts first, then by account and period.
     ORDER BY a.user_id IS NOT NULL, t.account_id, t.period_type, t.period_start
    ON CONFLICT (account_id, period_type, period_start) DO UPDATE SET
      total_cost_chf = s.total_cost_chf + EXCLUDED.total_cost_chf,
      transaction_count = s.transaction_count + EXCLUDED.transaction_count,
      cost_by_provider = usage_breakdown_add(s.cost_by_provider, EXCLUDED.cost_by_provider),
      cost_by_feature = usage_breakdown_add(s.cost_by_feature, EXCLUDED.cost_by_feature),
      cost_by_model = usage_breakdown_add(s.cost_by_model, EXCLUDED.cost_by_model),
      updated_at = now()
    RETURNING 1
  )
  -- A data-modifying CTE always runs to completion, whether or not it is read here.
  SELECT count(*) INTO v_drained FROM drained;

  RETURN v_drained;
END;
$$;

-- CREATE OR REPLACE resets SECURITY DEFINER and the pinned search_path (grants stay): set them
-- again as 20261205500000_app_role does.
DO $$
DECLARE
  f REGPROCEDURE;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure
      FROM pg_proc p
     WHERE p.pronamespace = current_schema()::regnamespace
       AND p.proname IN ('ledger_post', 'ledger_post_usage_batch', 'usage_rollup')
  LOOP
    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', f, current_schema());
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO billing_app', f);
  END LOOP;
END
$$;
