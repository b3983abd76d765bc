-- Reservations and usage settlement, written by hand (Prisma cannot express any of it).
--
-- Invariants added here:
--   * a billing check that reserves decides and inserts its reservation under the pool
--     account's row lock, so concurrent checks cannot all pass on a balance that covers only
--     some of them (available = balance - open unexpired reservations);
--   * billing_reservation rows of a mandate change only under its pool account's row lock
--     (reserve, capture, lazy expiry), so that lock alone serialises them;
--   * a reservation is captured at most once, by the usage debit that names it, in the same
--     statement as that debit;
--   * a batch of usage events is booked set-based in one statement with the same rules as
--     ledger_post_usage, one outcome per event instead of one exception for the whole batch.
--
-- New SQLSTATE (see *_ledger_core for the others):
--   BL410 reservation already settled (captured or released)

-- ---------------------------------------------------------------------------------------------
-- The billing check: the facts decideBillingCheck (lib/billing-check) needs, and, when asked
-- to reserve, the reservation. Only the reserving path locks the pool; a plain check reads.
-- The insert condition mirrors decideBillingCheck's rules (membership, disabled accounts,
-- provider list, money); runBillingCheck refuses to answer when the two ever disagree.
-- reserved_amount is the sum held before this call's own reservation.
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
        SELECT coalesce(sum(r.amount), 0) INTO v_reserved FROM "billing_reservation" r
         WHERE r.account_id = v_pool.id AND r.status = 'OPEN' AND r.expires_at > now() AND r.id <> v_existing.id;
        RETURN QUERY SELECT v_pool.balance, v_reserved, v_pool.enabled, v_allowed, v_role, v_user_enabled,
                            v_existing.id, v_existing.expires_at, TRUE;
        RETURN;
      END IF;
    END IF;

    -- Expired holds already free their money (the sum below ignores them); marking them here,
    -- under the lock that guards them, keeps the OPEN set small without a job.
    UPDATE "billing_reservation" r SET status = 'EXPIRED', settled_at = r.expires_at
     WHERE r.account_id = v_pool.id AND r.status = 'OPEN' AND r.expires_at <= now();
  END IF;

  SELECT coalesce(sum(r.amount), 0) INTO v_reserved FROM "billing_reservation" r
   WHERE r.account_id = v_pool.id AND r.status = 'OPEN' AND r.expires_at > now();

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
-- ledger_post_usage, now settling a reservation: same booking as before (pool, then the user's
-- audit account), plus, when p_reservation_id is given, the capture of that reservation in the
-- same statement. The actual cost may differ from the reserved amount; the reservation only
-- stops holding money. A replay returns the first booking and touches nothing; a reservation
-- already captured by another usage (or released) is refused and the debit rolled back with it.
-- An expired reservation is still captured: the call happened, its debit must not be lost.
-- The default keeps three-argument callers working.
DROP FUNCTION ledger_post_usage(UUID, UUID, "billing_transaction");

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
-- One event of a batch, parsed: built before the locks are taken, so the lock is held only for
-- the reads and writes that need it.
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
-- Locks: every pool account named, in id order; then every audit account, in id order. A
-- single usage takes its pool before its audit account, so all bookers agree on one global
-- order (pools by id, then audits by id) and cannot deadlock. Each step is its own statement
-- so that the reads after the locks see everything committed before them (READ COMMITTED
-- takes a snapshot per statement); all of it is still one call, one round trip.
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
           gen_random_uuid() AS pool_tx_id,
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
    SELECT b.pool_tx_id AS id, b.pool_id AS account_id, b.pool_balance_after AS balance_after, b.mandate_id,
           b.user_id, b.tx
      FROM booked b
    UNION ALL
    SELECT gen_random_uuid(), b.audit_id, b.audit_balance_after, b.mandate_id, b.user_id, b.tx
      FROM booked b
     WHERE b.user_id IS NOT NULL
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
           (s.tx).provider_cost, (s.tx).idempotency_key, (s.tx).request_hash, coalesce((s.tx).created_at, now())
      FROM postings s
      JOIN "billing_account" a ON a.id = s.account_id
    RETURNING id
  ),
  -- Debits wait here for the statistics roll-up, as ledger_post's do.
  enqueued AS (
    INSERT INTO "usage_rollup_queue" (transaction_id) SELECT i.id FROM inserted i
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
