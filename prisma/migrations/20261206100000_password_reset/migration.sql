-- =============================================================================================
-- Password reset by e-mail (lib/auth/password-reset.ts).
--
-- `password_reset_token` keeps the SHA-256 of each link's token, never the token: a copy of this
-- table opens no account. A token is used once (`used_at`, set by one conditional UPDATE) and
-- only before `expires_at`; a newer request or a completed reset deletes the user's other
-- unused tokens. `password_reset_request` records every request, for a known address or not,
-- so requests can be throttled per address and per client without telling which addresses exist.
-- =============================================================================================

CREATE TABLE "password_reset_token" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "used_at" TIMESTAMPTZ(6),
    "requested_from" TEXT,

    CONSTRAINT "password_reset_token_pkey" PRIMARY KEY ("id"),
    -- Hex of a SHA-256 digest: a raw token stored here by mistake would not fit.
    CONSTRAINT "password_reset_token_hash_check" CHECK ("token_hash" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "password_reset_token_expiry_check" CHECK ("expires_at" > "created_at")
);

CREATE UNIQUE INDEX "password_reset_token_token_hash_key" ON "password_reset_token"("token_hash");
CREATE INDEX "password_reset_token_user_id_idx" ON "password_reset_token"("user_id");

-- A deleted user's tokens go with the user.
ALTER TABLE "password_reset_token" ADD CONSTRAINT "password_reset_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "password_reset_request" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "client_address" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "password_reset_request_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "password_reset_request_email_created_at_idx" ON "password_reset_request"("email", "created_at");
CREATE INDEX "password_reset_request_client_address_created_at_idx" ON "password_reset_request"("client_address", "created_at");

-- The app issues, uses and purges tokens and records and purges requests (SELECT comes with the
-- app role's default privileges); it already updates app_user's password hash.
GRANT INSERT, UPDATE, DELETE ON "password_reset_token" TO billing_app;
GRANT INSERT, DELETE ON "password_reset_request" TO billing_app;
