-- =============================================================================================
-- E-mail (lib/email): each mandate's language for its messages, and every message recorded.
--
-- `email_outbox` is the development outbox when no SMTP server is configured (platform admins read
-- it in the dashboard) and the audit trail when one is. A message with a `dedupe_key` is written
-- before it is sent and marked `sent_at` after, so a retried job finds its row and sends once.
-- =============================================================================================

ALTER TABLE "mandate" ADD COLUMN "locale" TEXT NOT NULL DEFAULT 'de';
ALTER TABLE "mandate" ADD CONSTRAINT "mandate_locale_check" CHECK ("locale" IN ('de', 'en'));

CREATE TABLE "email_outbox" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID,
    "kind" TEXT NOT NULL,
    "to_addresses" TEXT[] NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "html_body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(6),
    "transport" TEXT NOT NULL,
    "error" TEXT,
    "dedupe_key" TEXT,

    CONSTRAINT "email_outbox_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "email_outbox_transport_check" CHECK ("transport" IN ('smtp', 'outbox')),
    CONSTRAINT "email_outbox_has_recipient" CHECK (cardinality("to_addresses") > 0)
);

CREATE UNIQUE INDEX "email_outbox_dedupe_key_key" ON "email_outbox"("dedupe_key");
CREATE INDEX "email_outbox_created_at_idx" ON "email_outbox"("created_at" DESC);
CREATE INDEX "email_outbox_mandate_id_created_at_idx" ON "email_outbox"("mandate_id", "created_at" DESC);

-- A mandate's messages stay on record after the mandate goes (SET NULL): the audit trail outlives it.
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The app records and marks its messages itself (SELECT comes with the app role's default privileges).
GRANT INSERT, UPDATE ON "email_outbox" TO billing_app;
