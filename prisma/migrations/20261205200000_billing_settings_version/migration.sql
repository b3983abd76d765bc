-- Optimistic concurrency for the settings form: every save of the editable settings increments
-- settings_version, and a save is applied only when the version the form was loaded with is still
-- the current one (checked under the row lock in updateBillingSettings). Writes by the platform
-- (storage watermark, recharge counters) do not touch it, so they never invalidate an open form.
ALTER TABLE "billing_settings" ADD COLUMN "settings_version" INTEGER NOT NULL DEFAULT 0;
