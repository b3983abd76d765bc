-- =============================================================================================
-- Issue 15: the warning threshold as a share of the pool's budget, threshold crossings noticed
-- by the database, and automatic recharges exactly once per crossing.
--
-- The budget (README, "Budget and warning threshold"): the pool's balance at the start of the
-- current month on the Swiss business calendar (never less than zero) plus every credit booked
-- to it since. The pool's warning_threshold (CHF) is warning_threshold_percent of it, derived by
-- the database whenever either changes: on a credit, on the first booking of a month, and when
-- the percentage is saved, and when a new month begins (the first booking of the month, or the
-- periodic roll below for a pool without one). Every page reads that one stored figure.
--
-- A crossing: a booking takes the pool from at or above its threshold to below it (the threshold
-- in force after the booking, on both sides). Bookings of one pool are serialised by its row
-- lock, so among any number of concurrent debits exactly one crosses. The crossing is noticed
-- by a trigger whose WHEN clause is evaluated without calling a function, so a booking that
-- crosses nothing pays a comparison; one that crosses records the crossing and queues its jobs
-- (the warning e-mail and the automatic recharge) in the same transaction.
-- =============================================================================================

ALTER TABLE "billing_account"
  -- The month (Zurich, its first day) whose budget "budget" is; NULL: none booked yet.
  ADD COLUMN "budget_month" DATE,
  ADD COLUMN "budget" DECIMAL(30,6) NOT NULL DEFAULT 0,
  ADD CONSTRAINT "billing_account_budget_check" CHECK ("budget" >= 0);

-- The budget of an account as of now: the stored one in its month, else the month rolls (the
-- balance so far opens it).
CREATE FUNCTION billing_budget_now(p_budget_month DATE, p_budget DECIMAL, p_balance DECIMAL)
RETURNS DECIMAL
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN p_budget_month = usage_period_start(now(), 'MONTH') THEN p_budget
              ELSE greatest(p_balance, 0) END
$$;

CREATE FUNCTION billing_threshold_of(p_budget DECIMAL, p_percent DECIMAL)
RETURNS DECIMAL
LANGUAGE sql IMMUTABLE AS $$
  SELECT round(p_budget * p_percent / 100, 6)
$$;

-- The month rolls for pools without a booking yet this month: a periodic job calls this (every
-- minute), so the stored threshold, which every page reads, is the one the next booking uses.
-- It moves no balance, so the balance triggers stay quiet; a booking holding the row is waited
-- for and then found rolled already.
CREATE FUNCTION billing_budget_roll() RETURNS INTEGER
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH rolled AS (
    UPDATE "billing_account" a
       SET budget_month = usage_period_start(now(), 'MONTH'),
           budget = greatest(a.balance, 0),
           warning_threshold = billing_threshold_of(greatest(a.balance, 0), s.warning_threshold_percent)
      FROM "billing_settings" s
     WHERE s.mandate_id = a.mandate_id AND a.user_id IS NULL
       AND a.budget_month IS DISTINCT FROM usage_period_start(now(), 'MONTH')
    RETURNING 1
  )
  SELECT count(*)::int FROM rolled
$$;
REVOKE EXECUTE ON FUNCTION billing_budget_roll() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_budget_roll() TO billing_app;

-- On a pool's balance change: roll the budget's month, add a credit, derive the threshold. Runs
-- only when the WHEN clause below says one of them is due (a debit within the month is not).
CREATE FUNCTION billing_pool_budget_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_month DATE := usage_period_start(now(), 'MONTH');
  v_percent DECIMAL;
BEGIN
  IF NEW.budget_month IS DISTINCT FROM v_month THEN
    NEW.budget_month := v_month;
    NEW.budget := greatest(OLD.balance, 0);
  END IF;
  IF NEW.balance > OLD.balance THEN
    NEW.budget := NEW.budget + (NEW.balance - OLD.balance);
  END IF;
  SELECT s.warning_threshold_percent INTO v_percent FROM "billing_settings" s WHERE s.mandate_id = NEW.mandate_id;
  IF FOUND THEN
    NEW.warning_threshold := billing_threshold_of(NEW.budget, v_percent);
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER billing_pool_budget_follow
  BEFORE UPDATE OF "balance" ON "billing_account"
  FOR EACH ROW
  WHEN (OLD.user_id IS NULL AND (NEW.balance > OLD.balance
        OR NEW.budget_month IS DISTINCT FROM date_trunc('month', timezone('Europe/Zurich', now()))::date))
  EXECUTE FUNCTION billing_pool_budget_follow();

-- The percentage saved: the threshold follows at once. Runs as the owner: the threshold is derived
-- only, so the app's role may no longer set it itself (revoked below).
CREATE FUNCTION billing_settings_threshold_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE "billing_account" a
     SET warning_threshold = billing_threshold_of(billing_budget_now(a.budget_month, a.budget, a.balance),
                                                  NEW.warning_threshold_percent)
   WHERE a.mandate_id = NEW.mandate_id AND a.user_id IS NULL;
  RETURN NULL;
END;
$$;

CREATE TRIGGER billing_settings_threshold_follow
  AFTER INSERT OR UPDATE OF "warning_threshold_percent" ON "billing_settings"
  FOR EACH ROW EXECUTE FUNCTION billing_settings_threshold_follow();

REVOKE UPDATE ("warning_threshold") ON "billing_account" FROM billing_app;

-- Existing pools: this month's budget from their ledger (balance before the month's first
-- booking, plus the month's credits), and the threshold from it.
UPDATE "billing_account" a
   SET budget_month = usage_period_start(now(), 'MONTH'),
       budget = greatest(a.balance - coalesce(m.moved, 0), 0) + coalesce(m.credited, 0)
  FROM (
    SELECT p.id,
           (SELECT sum(CASE WHEN t.transaction_type = 'DEBIT' THEN -t.amount ELSE t.amount END)
              FROM "billing_transaction" t
             WHERE t.account_id = p.id AND t.booked_at >= timezone('Europe/Zurich', date_trunc('month', timezone('Europe/Zurich', now())))) AS moved,
           (SELECT sum(t.amount)
              FROM "billing_transaction" t
             WHERE t.account_id = p.id AND t.transaction_type <> 'DEBIT' AND t.amount > 0
               AND t.booked_at >= timezone('Europe/Zurich', date_trunc('month', timezone('Europe/Zurich', now())))) AS credited
      FROM "billing_account" p
     WHERE p.user_id IS NULL
  ) m
 WHERE m.id = a.id;

UPDATE "billing_account" a
   SET warning_threshold = billing_threshold_of(a.budget, s.warning_threshold_percent)
  FROM "billing_settings" s
 WHERE s.mandate_id = a.mandate_id AND a.user_id IS NULL;

-- ---------------------------------------------------------------------------------------------
-- Crossings, and what became of each.
CREATE TABLE "pool_threshold_crossing" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "account_id" UUID NOT NULL,
  "mandate_id" UUID NOT NULL,
  "balance_before" DECIMAL(30,6) NOT NULL,
  "balance_after" DECIMAL(30,6) NOT NULL,
  "warning_threshold" DECIMAL(30,6) NOT NULL,
  "crossed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  -- Set by the jobs: SENT | NOT_WANTED | NO_RECIPIENT.
  "warning_outcome" TEXT,
  -- STARTED | DISABLED | NO_CARD | MONTHLY_CAP | IN_FLIGHT.
  "recharge_outcome" TEXT,
  CONSTRAINT "pool_threshold_crossing_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "pool_threshold_crossing_account_id_fkey" FOREIGN KEY ("account_id")
    REFERENCES "billing_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "pool_threshold_crossing_mandate_id_fkey" FOREIGN KEY ("mandate_id")
    REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "pool_threshold_crossing_mandate_id_crossed_at_idx"
  ON "pool_threshold_crossing"("mandate_id", "crossed_at" DESC);
GRANT UPDATE ("warning_outcome", "recharge_outcome") ON "pool_threshold_crossing" TO billing_app;

-- Records the crossing and queues its two jobs (lib/jobs/tasks.ts). Runs as the owner: the app's
-- role may not insert crossings, and the bookings that fire it run as the owner anyway.
CREATE FUNCTION billing_pool_threshold_crossed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_id UUID;
BEGIN
  INSERT INTO "pool_threshold_crossing" (account_id, mandate_id, balance_before, balance_after, warning_threshold)
  VALUES (NEW.id, NEW.mandate_id, OLD.balance, NEW.balance, NEW.warning_threshold)
  RETURNING id INTO v_id;
  PERFORM graphile_worker.add_job('low-balance-warning', json_build_object('crossingId', v_id));
  PERFORM graphile_worker.add_job('auto-recharge', json_build_object('crossingId', v_id));
  RETURN NULL;
END;
$$;
REVOKE EXECUTE ON FUNCTION billing_pool_threshold_crossed() FROM PUBLIC;

CREATE TRIGGER billing_pool_threshold_crossed
  AFTER UPDATE OF "balance" ON "billing_account"
  FOR EACH ROW
  WHEN (OLD.user_id IS NULL AND OLD.balance >= NEW.warning_threshold AND NEW.balance < NEW.warning_threshold)
  EXECUTE FUNCTION billing_pool_threshold_crossed();

-- ---------------------------------------------------------------------------------------------
-- The card kept for automatic recharge, the failures in a row, the pool-exhausted notice.
ALTER TABLE "billing_settings"
  ADD COLUMN "stripe_payment_method_id" TEXT,
  ADD COLUMN "card_brand" TEXT,
  ADD COLUMN "card_last4" TEXT,
  ADD COLUMN "recharge_failures_in_row" INTEGER NOT NULL DEFAULT 0,
  -- Set when three failures in a row switched auto-recharge off; cleared when an admin turns it on.
  ADD COLUMN "auto_recharge_switched_off_at" TIMESTAMPTZ(6),
  ADD COLUMN "pool_exhausted_notified_at" TIMESTAMPTZ(6),
  ADD CONSTRAINT "billing_settings_recharge_failures_in_row_check" CHECK ("recharge_failures_in_row" >= 0),
  ADD CONSTRAINT "billing_settings_recharges_this_month_check" CHECK ("recharges_this_month" >= 0);

-- ---------------------------------------------------------------------------------------------
-- Payments: a top-up (Checkout) or an automatic recharge (off-session, one per crossing).
CREATE TYPE "PaymentKind" AS ENUM ('TOP_UP', 'AUTO_RECHARGE');

ALTER TABLE "payment"
  ADD COLUMN "kind" "PaymentKind" NOT NULL DEFAULT 'TOP_UP',
  ADD COLUMN "threshold_crossing_id" UUID,
  -- Stripe's decline code or error code (card_declined, authentication_required, ...).
  ADD COLUMN "failure_code" TEXT,
  ADD COLUMN "failure_message" TEXT,
  ADD CONSTRAINT "payment_threshold_crossing_id_fkey" FOREIGN KEY ("threshold_crossing_id")
    REFERENCES "pool_threshold_crossing"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  ADD CONSTRAINT "payment_recharge_has_crossing_check"
    CHECK (("kind" = 'AUTO_RECHARGE') = ("threshold_crossing_id" IS NOT NULL));
CREATE UNIQUE INDEX "payment_threshold_crossing_id_key" ON "payment"("threshold_crossing_id");
-- No second recharge while one is in flight (written by hand: Prisma has no partial indexes).
CREATE UNIQUE INDEX "payment_one_recharge_in_flight"
  ON "payment"("mandate_id") WHERE "kind" = 'AUTO_RECHARGE' AND "status" IN ('PENDING', 'PROCESSING');

-- Auto-recharge was a switch without effect until now, and no card is kept yet: off everywhere,
-- until an admin switches it on with a card (the settings refuse it without one).
UPDATE "billing_settings" SET "auto_recharge_enabled" = FALSE WHERE "stripe_payment_method_id" IS NULL;
