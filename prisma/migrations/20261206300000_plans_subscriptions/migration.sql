-- =============================================================================================
-- Issue 16: the plan catalogue, subscriptions with their states and history, the AI budget
-- credited per paid period, and the subscription gate in the billing check.
--
-- Subscription states (README "Plans and subscriptions"): PENDING, SCHEDULED, TRIALING, ACTIVE,
-- PAST_DUE, EXPIRED. ACTIVE, TRIALING and PAST_DUE are operative (PAST_DUE: the grace period
-- while Stripe retries); EXPIRED is terminal. The allowed transitions are enforced here, by a
-- trigger, whoever writes the row; every change of state is recorded by another.
-- =============================================================================================

CREATE TABLE "plan" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  -- Stable, for links and the demo ("starter", "team", ...).
  "code" TEXT NOT NULL,
  "name_de" TEXT NOT NULL,
  "name_en" TEXT NOT NULL,
  "monthly_price_chf" DECIMAL(30,6) NOT NULL,
  -- Credited to the pool once per paid period, as one SUBSCRIPTION transaction.
  "ai_budget_chf" DECIMAL(30,6) NOT NULL,
  "included_storage_mb" DECIMAL(20,6) NOT NULL,
  "active" BOOLEAN NOT NULL DEFAULT true,
  "stripe_price_id" TEXT,
  "sort_order" INTEGER NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  CONSTRAINT "plan_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "plan_money_check" CHECK (
    "monthly_price_chf" >= 0 AND "monthly_price_chf" = round("monthly_price_chf", 2)
    AND "ai_budget_chf" >= 0 AND "ai_budget_chf" = round("ai_budget_chf", 2)
    AND "included_storage_mb" >= 0),
  CONSTRAINT "plan_code_check" CHECK ("code" ~ '^[a-z0-9][a-z0-9-]{0,39}$')
);
CREATE UNIQUE INDEX "plan_code_key" ON "plan"("code");
CREATE UNIQUE INDEX "plan_stripe_price_id_key" ON "plan"("stripe_price_id");

CREATE TYPE "SubscriptionStatus" AS ENUM ('PENDING', 'SCHEDULED', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'EXPIRED');

CREATE TABLE "subscription" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "mandate_id" UUID NOT NULL,
  "plan_id" UUID NOT NULL,
  "status" "SubscriptionStatus" NOT NULL DEFAULT 'PENDING',
  -- False: ends with its current period (cancelled, or replaced by a scheduled plan change).
  "recurring" BOOLEAN NOT NULL DEFAULT true,
  "current_period_start" TIMESTAMPTZ(6),
  "current_period_end" TIMESTAMPTZ(6),
  -- When it takes (took) effect: a SCHEDULED plan change starts at the old period's end.
  "effective_from" TIMESTAMPTZ(6),
  "stripe_subscription_id" TEXT,
  "stripe_checkout_session_id" TEXT,
  -- A plan granted by a platform admin without Stripe (an invoiced customer), and why.
  "granted_by_user_id" UUID,
  "grant_reason" TEXT,
  "created_by_user_id" UUID,
  "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  CONSTRAINT "subscription_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "subscription_mandate_id_fkey" FOREIGN KEY ("mandate_id")
    REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "subscription_plan_id_fkey" FOREIGN KEY ("plan_id")
    REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "subscription_granted_by_user_id_fkey" FOREIGN KEY ("granted_by_user_id")
    REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "subscription_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id")
    REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT "subscription_grant_check" CHECK (("granted_by_user_id" IS NULL) = ("grant_reason" IS NULL)),
  CONSTRAINT "subscription_period_check" CHECK ("current_period_end" IS NULL OR "current_period_start" IS NULL
    OR "current_period_end" > "current_period_start")
);
CREATE UNIQUE INDEX "subscription_stripe_subscription_id_key" ON "subscription"("stripe_subscription_id");
CREATE UNIQUE INDEX "subscription_stripe_checkout_session_id_key" ON "subscription"("stripe_checkout_session_id");
CREATE INDEX "subscription_mandate_id_created_at_idx" ON "subscription"("mandate_id", "created_at" DESC);
-- At most one operative subscription per mandate, and at most one waiting (PENDING or SCHEDULED)
-- (written by hand: Prisma has no partial indexes). The billing check's gate reads the first.
CREATE UNIQUE INDEX "subscription_one_operative"
  ON "subscription"("mandate_id") WHERE "status" IN ('TRIALING', 'ACTIVE', 'PAST_DUE');
CREATE UNIQUE INDEX "subscription_one_waiting"
  ON "subscription"("mandate_id") WHERE "status" IN ('PENDING', 'SCHEDULED');

-- Every change of state, with why (who or which Stripe event).
CREATE TABLE "subscription_status_change" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "subscription_id" UUID NOT NULL,
  -- NULL: the subscription was created in to_status.
  "from_status" "SubscriptionStatus",
  "to_status" "SubscriptionStatus" NOT NULL,
  "note" TEXT,
  "changed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT "subscription_status_change_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "subscription_status_change_subscription_id_fkey" FOREIGN KEY ("subscription_id")
    REFERENCES "subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "subscription_status_change_subscription_id_changed_at_idx"
  ON "subscription_status_change"("subscription_id", "changed_at");

-- The transitions, and no others. A subscription starts PENDING; a note for the history may be
-- passed in the transaction (SET LOCAL billing.subscription_note = '...').
CREATE FUNCTION subscription_status_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'PENDING' THEN
      RAISE EXCEPTION 'a subscription starts PENDING, not %', NEW.status USING ERRCODE = 'BL422';
    END IF;
  ELSIF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'PENDING' AND NEW.status IN ('ACTIVE', 'TRIALING', 'SCHEDULED', 'EXPIRED'))
    OR (OLD.status = 'SCHEDULED' AND NEW.status IN ('ACTIVE', 'EXPIRED'))
    OR (OLD.status = 'TRIALING' AND NEW.status IN ('ACTIVE', 'EXPIRED'))
    OR (OLD.status = 'ACTIVE' AND NEW.status IN ('PAST_DUE', 'EXPIRED'))
    OR (OLD.status = 'PAST_DUE' AND NEW.status IN ('ACTIVE', 'EXPIRED'))
  ) THEN
    RAISE EXCEPTION 'a subscription cannot go from % to %', OLD.status, NEW.status USING ERRCODE = 'BL422';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'EXPIRED' AND (NEW.plan_id <> OLD.plan_id OR NEW.mandate_id <> OLD.mandate_id) THEN
    RAISE EXCEPTION 'an expired subscription does not change' USING ERRCODE = 'BL422';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER subscription_status_guard
  BEFORE INSERT OR UPDATE ON "subscription"
  FOR EACH ROW EXECUTE FUNCTION subscription_status_guard();

CREATE FUNCTION subscription_status_record() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO "subscription_status_change" (subscription_id, from_status, to_status, note)
    VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status,
            nullif(current_setting('billing.subscription_note', TRUE), ''));
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER subscription_status_record
  AFTER INSERT OR UPDATE OF "status" ON "subscription"
  FOR EACH ROW EXECUTE FUNCTION subscription_status_record();

-- One SUBSCRIPTION credit per paid invoice (its Stripe id, or our own id for a granted period).
CREATE TABLE "subscription_period_credit" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "subscription_id" UUID NOT NULL,
  -- in_… for a Stripe invoice; grant:<subscription>:<period start> for a granted plan's period.
  "invoice_key" TEXT NOT NULL,
  "period_start" TIMESTAMPTZ(6) NOT NULL,
  "period_end" TIMESTAMPTZ(6) NOT NULL,
  "amount" DECIMAL(30,6) NOT NULL,
  -- NULL for a plan without AI budget: nothing to credit.
  "transaction_id" UUID,
  "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  CONSTRAINT "subscription_period_credit_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "subscription_period_credit_subscription_id_fkey" FOREIGN KEY ("subscription_id")
    REFERENCES "subscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "subscription_period_credit_invoice_key_key" ON "subscription_period_credit"("invoice_key");
CREATE UNIQUE INDEX "subscription_period_credit_transaction_id_key" ON "subscription_period_credit"("transaction_id");
CREATE INDEX "subscription_period_credit_subscription_id_period_start_idx"
  ON "subscription_period_credit"("subscription_id", "period_start" DESC);

GRANT INSERT, UPDATE ON "plan", "subscription" TO billing_app;
GRANT INSERT ON "subscription_period_credit" TO billing_app;
-- The history is written by its trigger alone (as the owner).

-- ---------------------------------------------------------------------------------------------
-- The billing check (as in 20261205300000_usage_debit_never_lost), with the subscription gate:
-- it reports whether the mandate has an operative subscription, and with p_require_subscription
-- (the platform's SUBSCRIPTION_REQUIRED) holds nothing for a mandate without one. The replay of
-- a hold still holding money is answered as before: it was allowed when it was made.
DROP FUNCTION billing_check_reserve(UUID, UUID, TEXT, DECIMAL, BOOLEAN, INTEGER, TEXT);

CREATE FUNCTION billing_check_reserve(
  p_mandate_id UUID,
  p_user_id UUID,
  p_provider TEXT,
  p_amount DECIMAL(30,6),
  p_reserve BOOLEAN,
  p_ttl_seconds INTEGER,
  p_idempotency_key TEXT,
  p_require_subscription BOOLEAN
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
  "replayed" BOOLEAN,
  "subscription_operative" BOOLEAN
)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
  v_operative BOOLEAN;
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
  -- The gate: one probe of the unique partial index of operative subscriptions.
  v_operative := EXISTS (SELECT 1 FROM "subscription" s
                          WHERE s.mandate_id = p_mandate_id AND s.status IN ('TRIALING', 'ACTIVE', 'PAST_DUE'));
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
                              v_existing.id, v_existing.expires_at, TRUE, v_operative;
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
     AND (v_operative OR NOT p_require_subscription)
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
                      v_id, v_expires_at, FALSE, v_operative;
END;
$$;
REVOKE EXECUTE ON FUNCTION billing_check_reserve(UUID, UUID, TEXT, DECIMAL, BOOLEAN, INTEGER, TEXT, BOOLEAN) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_check_reserve(UUID, UUID, TEXT, DECIMAL, BOOLEAN, INTEGER, TEXT, BOOLEAN) TO billing_app;
