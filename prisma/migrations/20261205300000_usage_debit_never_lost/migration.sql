-- A debit for an AI call that already happened is never lost (issue 13, item 5).
--
-- The call has happened and cost money, so a usage debit is booked even when the state changed
-- since its billing check: its reservation was released (or captured by another debit, or is
-- unknown), the pool or the user's audit account was disabled, or the user has left the mandate.
-- The pool may go below zero; the billing check refuses the next call. What was unusual is noted
-- at the end of the transaction's description, "[booked although: ...]", so the ledger says why.
--
-- An idempotent replay is answered first, before any state check: a retry of a booked debit
-- always gets its original answer, whatever happened to the mandate, user or hold since.
--
-- The user's audit account is kept: the debit is booked on it even when the user left or it is
-- disabled. A user who is not a member is still attributed when the mandate knows them (an audit
-- account exists, or the reservation was held for them); a user id the mandate never knew is not
-- attributed (no audit account is created for a stranger), and the pool debit notes it.
--
-- Errors left for usage: BL404 unknown mandate, BL409 key reused with another payload, BL400
-- amount scale. BL403, BL410 and BL422 no longer come from usage bookings.
--
-- A retried reserving check (billing_check_reserve) never answers with a hold that no longer
-- holds money: when its hold was settled or has expired, the check is decided again and a new
-- hold, if allowed, takes over the idempotency key.


-- ---------------------------------------------------------------------------------------------
-- Books an AI call: a DEBIT on the mandate's pool account and, when the user is attributed, the
-- same DEBIT on that user's audit account (created on first use), atomically. The pool is locked
-- before the audit account, always, so concurrent usage cannot deadlock.
--
-- With p_reservation_id, the same statement captures that reservation when it is OPEN or
-- EXPIRED (an expired hold is still captured). A hold already captured or released, or unknown
-- to the mandate, is left as it is and noted; the debit is booked all the same.
CREATE OR REPLACE FUNCTION ledger_post_usage(
  p_mandate_id UUID,
  p_user_id UUID,
  p_tx "billing_transaction",
  p_reservation_id UUID DEFAULT NULL
)
RETURNS SETOF ledger_booking
LANGUAGE plpgsql AS $$
DECLARE
  v_pool "billing_account";
  v_existing "billing_transaction";
  v_audit_tx "billing_transaction";
  v_audit_id UUID;
  v_audit_enabled BOOLEAN;
  v_member BOOLEAN;
  v_attribute BOOLEAN := FALSE;
  v_reservation "billing_reservation";
  v_capture BOOLEAN := FALSE;
  v_notes TEXT[] := ARRAY[]::TEXT[];
  v_pool_booking ledger_booking;
BEGIN
  SELECT * INTO v_pool FROM "billing_account" WHERE mandate_id = p_mandate_id AND user_id IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'mandate % has no pool account', p_mandate_id USING ERRCODE = 'BL404';
  END IF;

  -- Replay first: a booked key gets its first answer (pool, then audit booking), whatever
  -- changed since. The pool lock is held, and every usage of this mandate takes it first.
  SELECT * INTO v_existing FROM "billing_transaction"
   WHERE account_id = v_pool.id AND idempotency_key = p_tx.idempotency_key;
  IF FOUND THEN
    IF v_existing.request_hash <> p_tx.request_hash THEN
      RAISE EXCEPTION 'idempotency key % was used for a different booking', p_tx.idempotency_key
        USING ERRCODE = 'BL409';
    END IF;
    RETURN NEXT ROW(v_existing.id, v_existing.account_id, v_existing.transaction_type, v_existing.amount,
                    v_existing.balance_after, v_existing.created_at, TRUE)::ledger_booking;
    IF v_existing.created_by_user_id IS NOT NULL THEN
      SELECT t.* INTO v_audit_tx FROM "billing_transaction" t
        JOIN "billing_account" a ON a.id = t.account_id
       WHERE a.mandate_id = p_mandate_id AND a.user_id = v_existing.created_by_user_id
         AND t.idempotency_key = p_tx.idempotency_key;
      IF FOUND THEN
        RETURN NEXT ROW(v_audit_tx.id, v_audit_tx.account_id, v_audit_tx.transaction_type, v_audit_tx.amount,
                        v_audit_tx.balance_after, v_audit_tx.created_at, TRUE)::ledger_booking;
      END IF;
    END IF;
    RETURN;
  END IF;

  IF NOT v_pool.enabled THEN
    v_notes := v_notes || 'pool account disabled'::TEXT;
  END IF;

  IF p_reservation_id IS NOT NULL THEN
    SELECT * INTO v_reservation FROM "billing_reservation" WHERE id = p_reservation_id AND mandate_id = p_mandate_id;
    IF NOT FOUND THEN
      v_notes := v_notes || format('reservation %s not found', p_reservation_id);
    ELSIF v_reservation.status = 'CAPTURED' THEN
      v_notes := v_notes || format('reservation %s already captured by transaction %s', p_reservation_id,
                                   v_reservation.transaction_id);
    ELSIF v_reservation.status = 'RELEASED' THEN
      v_notes := v_notes || format('reservation %s was released', p_reservation_id);
    ELSE
      v_capture := TRUE;
    END IF;
  END IF;

  IF p_user_id IS NOT NULL THEN
    v_member := EXISTS (SELECT 1 FROM "membership" WHERE mandate_id = p_mandate_id AND user_id = p_user_id);
    SELECT id, enabled INTO v_audit_id, v_audit_enabled FROM "billing_account"
     WHERE mandate_id = p_mandate_id AND user_id = p_user_id;
    -- Known to the mandate: a member, a former member with an audit account, or the user the
    -- reservation was held for (the billing check saw them as a member).
    v_attribute := v_member OR v_audit_id IS NOT NULL
      OR (coalesce(v_reservation.user_id = p_user_id, FALSE)
          AND EXISTS (SELECT 1 FROM "app_user" WHERE id = p_user_id));
    IF NOT v_attribute THEN
      v_notes := v_notes || format('user %s is not a member of the mandate: not attributed', p_user_id);
    ELSIF NOT v_member THEN
      v_notes := v_notes || 'user no longer a member of the mandate'::TEXT;
    END IF;
    IF v_attribute AND NOT coalesce(v_audit_enabled, TRUE) THEN
      v_notes := v_notes || 'user account disabled'::TEXT;
    END IF;
  END IF;

  p_tx.transaction_type := 'DEBIT';
  p_tx.created_by_user_id := CASE WHEN v_attribute THEN p_user_id END;
  IF cardinality(v_notes) > 0 THEN
    p_tx.description := p_tx.description || ' [booked although: ' || array_to_string(v_notes, '; ') || ']';
  END IF;
  v_pool_booking := ledger_post(v_pool.id, p_tx, FALSE);

  -- The pool lock guards the mandate's reservations: the status read above still holds.
  IF v_capture THEN
    UPDATE "billing_reservation" SET status = 'CAPTURED', transaction_id = v_pool_booking.transaction_id,
           settled_at = now()
     WHERE id = p_reservation_id;
  END IF;
  RETURN NEXT v_pool_booking;

  IF v_attribute THEN
    IF v_audit_id IS NULL THEN
      -- Only holders of the pool lock create a mandate's audit accounts.
      INSERT INTO "billing_account" (mandate_id, user_id) VALUES (p_mandate_id, p_user_id)
        ON CONFLICT (mandate_id, user_id) DO NOTHING
        RETURNING id INTO v_audit_id;
      IF v_audit_id IS NULL THEN
        SELECT id INTO v_audit_id FROM "billing_account" WHERE mandate_id = p_mandate_id AND user_id = p_user_id;
      END IF;
    END IF;
    RETURN NEXT ledger_post(v_audit_id, p_tx, FALSE);
  END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Books many usage events in one call, set-based: the throughput path of the gateway. Same
-- rules as ledger_post_usage per event; a per-event error becomes that event's outcome instead
-- of an exception, so one bad event cannot lose the good ones.
--
-- p_events: [{ "idx", "mandate_id", "user_id", "reservation_id", "tx": billing_transaction
-- fields as for ledger_post }]. Returns one row per event: status 'booked' | 'duplicate' |
-- 'rejected', the error code of a rejection (NOT_FOUND or IDEMPOTENCY_CONFLICT), and the pool
-- transaction (booked, or found for a duplicate).
--
-- Locks: every pool account named, in id order; then every audit account, in id order, as a
-- single usage takes its pool before its audit account. Each step is its own statement so that
-- the reads after the locks see everything committed before them (READ COMMITTED takes a
-- snapshot per statement); all of it is still one call, one round trip.
--
-- Per event, in this order (as ledger_post_usage would, event after event):
--   unknown mandate -> NOT_FOUND;
--   key already booked on the pool -> duplicate (same request hash) or IDEMPOTENCY_CONFLICT,
--     before any state check;
--   key repeated within the batch -> judged against its first event in the batch (the key's
--     owner): same hash shares the owner's outcome, another hash is IDEMPOTENCY_CONFLICT;
--   otherwise booked, balance_after running per account in batch order, with what was unusual
--     noted in the description (disabled pool or audit account, user no longer a member or not
--     attributed, reservation unknown, released, already captured or captured by an earlier
--     event of the batch). A capturable hold (OPEN or EXPIRED) is captured by the first event
--     of the batch naming it.
-- The debits join the roll-up queue summed per account, day, provider and feature.
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
      FROM (SELECT b.pool_tx_id AS id, b.pool_id AS account_id, b.pool_balance_after AS balance_after,
                   b.mandate_id, b.user_id, b.tx, b.description
              FROM booked b
            UNION ALL
            SELECT ledger_uuid_v7(), b.audit_id, b.audit_balance_after, b.mandate_id, b.user_id, b.tx, b.description
              FROM booked b
             WHERE b.audit_id IS NOT NULL) p
  ),
  inserted AS (
    INSERT INTO "billing_transaction" (
      id, account_id, mandate_id, transaction_type, amount, currency, balance_after, description,
      reference_type, reference_id, workflow_id, feature_instance_id, feature_code, aicore_provider,
      aicore_model, created_by_user_id, processing_time, bytes_sent, bytes_received, error_count,
      provider_cost, idempotency_key, request_hash, created_at)
    SELECT s.id, s.account_id, s.mandate_id, 'DEBIT', (s.tx).amount, a.currency, s.balance_after,
           s.description, (s.tx).reference_type, (s.tx).reference_id, (s.tx).workflow_id,
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
-- The billing check (as in the baseline), but a retried reserving check whose hold no longer
-- holds money is decided again instead of answering "allowed" with the dead hold.
CREATE OR REPLACE FUNCTION billing_check_reserve(
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
        -- Still holding money: the first answer again. What else is held: the replayed hold
        -- itself does not count against its own check.
        IF v_existing.status = 'OPEN' AND v_existing.expires_at > now() THEN
          v_reserved := v_reserved - v_existing.amount;
          RETURN QUERY SELECT v_pool.balance, v_reserved, v_pool.enabled, v_allowed, v_role, v_user_enabled,
                              v_existing.id, v_existing.expires_at, TRUE;
          RETURN;
        END IF;
        -- The hold no longer holds money (captured, released or expired): never answer "allowed"
        -- with it. The check is decided again below, as a new one; a new hold, if allowed, takes
        -- over the key, so a further retry replays the new hold. The settled hold keeps its
        -- status, amount and capture; only its key moves.
        UPDATE "billing_reservation" r SET idempotency_key = NULL WHERE r.id = v_existing.id;
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
