-- =============================================================================================
-- The app's database role: the ledger guarded by PostgreSQL's privileges, not only by the code.
--
-- The app connects as a member of `billing_app` (scripts/db/app-role.ts; README "Database
-- roles"), never as the owner of the tables, who runs these migrations. `billing_app` reads every
-- table and writes the tables the dashboard edits, but it may not
--   * insert, change or delete a transaction (billing_transaction: SELECT only),
--   * set a balance or a reservation total (billing_account: only its settings columns may change,
--     and an account opens empty),
--   * write reservations, usage statistics or the roll-up queue directly,
--   * alter, disable triggers of or truncate any table (only an owner may).
-- Bookings, reservations and the statistics roll-up go through the ledger functions below,
-- which run as their owner (SECURITY DEFINER) with a pinned search_path, so a caller's own
-- objects in another schema can never stand in for ours.
--
-- Roles are shared by the whole cluster: the role is created once (by whichever migrating role
-- may create roles, or beforehand by an administrator) and granted anew in each database.
-- =============================================================================================

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'billing_app') THEN
    CREATE ROLE billing_app NOLOGIN;
  END IF;
END
$$;

DO $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO billing_app', current_schema());
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO billing_app', current_schema());
  -- Tables of later migrations are readable too; what the app may write, each migration grants.
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO billing_app', current_schema());
END
$$;

-- What the dashboard, sign-in and the storage report write themselves.
GRANT INSERT, UPDATE ON "app_user", "mandate", "api_key", "billing_settings" TO billing_app;
GRANT INSERT, UPDATE, DELETE ON "membership" TO billing_app;
GRANT INSERT, DELETE ON "sign_in_attempt" TO billing_app;
GRANT INSERT ON "billing_settings_change", "stripe_webhook_event" TO billing_app;
-- An account opens empty (the trigger below, for every role: Prisma writes a column's default
-- itself, so a column grant cannot tell "balance 0" from "balance 1000"), and afterwards only its
-- settings change: its money columns move through the ledger functions alone.
GRANT INSERT ON "billing_account" TO billing_app;
GRANT UPDATE ("warning_threshold", "last_warning_at", "enabled") ON "billing_account" TO billing_app;

CREATE FUNCTION billing_account_opens_empty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance <> 0 OR NEW.reserved_amount <> 0 THEN
    RAISE EXCEPTION 'an account opens with balance 0 and nothing reserved; book a credit instead'
      USING ERRCODE = 'BL405';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER billing_account_opens_empty
  BEFORE INSERT ON "billing_account"
  FOR EACH ROW EXECUTE FUNCTION billing_account_opens_empty();

-- The ledger functions: run as their owner, search_path pinned, callable by the app only.
DO $$
DECLARE
  f REGPROCEDURE;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure
      FROM pg_proc p
     WHERE p.pronamespace = current_schema()::regnamespace
       AND p.proname IN ('ledger_post', 'ledger_post_usage', 'ledger_post_usage_batch',
                         'billing_check_reserve', 'billing_reservation_release',
                         'billing_reservation_expire_account', 'usage_rollup')
  LOOP
    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp', f, current_schema());
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO billing_app', f);
  END LOOP;
END
$$;
