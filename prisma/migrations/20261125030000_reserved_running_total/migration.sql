-- A pool keeps the running total of its OPEN reservations (billing_account.reserved_amount), kept
-- by triggers on billing_reservation, so a billing check no longer sums the mandate's holds.
--
-- Why: billing_check_reserve summed every OPEN, unexpired hold of the pool under the pool row
-- lock. That sum grows with calls per second times the hold's TTL: about 300 rows at the
-- benchmark's 62 reserving checks/s per mandate with 5 s holds, 6,000 rows for a mandate at
-- 50 calls/s with 2-minute holds, all of it serialised on one lock. Measured with pgbench: about
-- even per call at 300 holds (the trigger's write costs what the shorter read saves), 0.48-0.53
-- against 0.62-0.74 ms at 1,250 holds (BENCHMARKS.md, fourth session).
--
-- Money held right now is   reserved_amount - (OPEN holds with expires_at <= now()).
-- The second term is the holds past their expiry that the sweep has not marked yet, read from
-- (account_id, status, expires_at). So a hold stops holding money exactly at expires_at, as
-- before, whether the sweep has run or not.
--
-- That read is bounded below by billing_account.open_holds_expire_after: every OPEN hold of the
-- account expires after it. Without the bound, the range `expires_at <= now()` of that index also
-- walks the entries of every hold marked or captured since the last VACUUM (an update of status
-- leaves the old entry behind): measured with pgbench, the reserving check got slower by the
-- second. The sweep moves the bound up to its now() once it has marked a pool's due holds, and a
-- reserving check that finds none moves it up too (at most once a second), both under the pool
-- lock; the trigger moves it down when a hold is written that expires earlier. A bound that is
-- too high would only keep money held until the sweep marks the hold, never free it early.
--
-- The triggers see every change of a hold, whoever makes it (reserving check, capture, batch
-- capture, sweep, a future release), so the total cannot drift from the holds; a test checks
-- reserved_amount = sum(OPEN holds) after a concurrent load. Statement triggers with transition
-- tables: a batch that captures a thousand holds updates each pool once, not a thousand times.
--
-- Locks: the trigger updates the pool row. Every writer of a hold already holds that lock first
-- (the reserving check, ledger_post, the batch's pool locks), except the expiry sweep, which
-- took the hold rows only; a sweep and a capture of the same expired hold could then deadlock.
-- The sweep therefore goes one pool at a time and takes the pool lock first
-- (billing_reservation_expire_account), which also keeps every other mandate free while it runs.

ALTER TABLE "billing_account" ADD COLUMN "reserved_amount" DECIMAL(30,6) NOT NULL DEFAULT 0,
                              ADD COLUMN "open_holds_expire_after" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP;

UPDATE "billing_account" a
   SET reserved_amount = h.total,
       open_holds_expire_after = least(a.open_holds_expire_after, h.first_expiry - interval '1 microsecond')
  FROM (SELECT account_id, sum(amount) AS total, min(expires_at) AS first_expiry
          FROM "billing_reservation" WHERE status = 'OPEN' GROUP BY account_id) h
 WHERE a.id = h.account_id;

ALTER TABLE "billing_account" ADD CONSTRAINT "billing_account_reserved_amount_not_negative"
  CHECK (reserved_amount >= 0);

-- ---------------------------------------------------------------------------------------------
-- Adds to each pool the OPEN amounts a statement brought in and takes away those it ended, and
-- keeps open_holds_expire_after below every OPEN hold it wrote.
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

-- ---------------------------------------------------------------------------------------------
-- The money a pool holds right now: the running total less the OPEN holds already past
-- expires_at that the sweep has not marked yet, and how many of those there are. One statement,
-- so both parts come from one snapshot, also for a plain check, which takes no lock. LANGUAGE sql,
-- STABLE, not STRICT: the planner inlines it where it is called, so EXPLAIN of a call shows the
-- plan the billing check runs (a test pins it: lib/billing-check/reserve.test.ts).
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
-- billing_check_reserve as in *_reservation_expiry_sweep, with the held money taken from the
-- running total instead of a sum over the pool's holds.
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
-- The expiry sweep, one pool at a time: marks up to p_limit of the pool's OPEN holds past their
-- expires_at as EXPIRED (settled at their expiry) and returns how many. It takes the pool lock
-- first, as every other writer of holds does, and holds it only for this pool's marks. The app
-- finds the pools with due holds and calls this for each (lib/billing-check/reservation-expiry.ts).
DROP FUNCTION billing_reservation_expire(INTEGER);

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
