-- Reservations expire by a sweep instead of on the next reserving check, written by hand.
--
-- billing_check_reserve marked its mandate's expired holds EXPIRED under the pool row lock. That
-- UPDATE wrote a new row version (and WAL) on most calls while every other reserving check of the
-- mandate waited for the lock, and left dead index entries behind. Measured with pgbench calling
-- billing_check_reserve at a paced 500/s on the benchmark database: p50 1.22 -> 0.88 ms, p99
-- 5.6 -> 2.5 ms, p99.9 72 -> 7.7 ms without it. The sum of held money never needed the marks (it
-- only counts OPEN holds with expires_at > now()), so marking moves to billing_reservation_expire(),
-- run every second by the app (lib/billing-check/reservation-expiry.ts).
--
-- The invariant of *_reservations, "a mandate's reservations change only under its pool row lock",
-- now holds for every change but the expiry mark, which needs no lock: it only touches OPEN holds
-- past expires_at, which no reserving check counts, and a usage debit that captures one (an
-- expired hold is still captured) ends CAPTURED whichever commits first: the capture's UPDATE has
-- no status condition, and the sweep skips holds locked by a capture in flight (SKIP LOCKED) and
-- re-checks status = 'OPEN' on rows a capture changed since its snapshot.

-- CreateIndex
CREATE INDEX "billing_reservation_status_expires_at_idx" ON "billing_reservation"("status", "expires_at");

-- ---------------------------------------------------------------------------------------------
-- billing_check_reserve as in *_reservations, without marking expired holds.
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
-- Marks up to p_limit OPEN holds past their expires_at as EXPIRED (settled at their expiry) and
-- returns how many. SKIP LOCKED: several app instances may sweep at once, and a hold being
-- captured right now is left to its capture.
CREATE FUNCTION billing_reservation_expire(p_limit INTEGER)
RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  v_marked INTEGER;
BEGIN
  IF p_limit IS NULL OR p_limit < 1 THEN
    RAISE EXCEPTION 'limit must be positive' USING ERRCODE = 'BL400';
  END IF;
  WITH due AS (
    SELECT id FROM "billing_reservation"
     WHERE status = 'OPEN' AND expires_at <= now()
     ORDER BY expires_at
     LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  )
  UPDATE "billing_reservation" r SET status = 'EXPIRED', settled_at = r.expires_at
    FROM due
   WHERE r.id = due.id AND r.status = 'OPEN';
  GET DIAGNOSTICS v_marked = ROW_COUNT;
  RETURN v_marked;
END;
$$;
