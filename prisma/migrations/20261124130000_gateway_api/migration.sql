-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('OPEN', 'CAPTURED', 'RELEASED', 'EXPIRED');

-- AlterTable
ALTER TABLE "billing_settings" ADD COLUMN "storage_included_mb" DECIMAL(20,6),
ADD COLUMN "provider_cost_markup_percent" DECIMAL(7,2);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "mandate_id" UUID,
    "created_by_user_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_reservation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "user_id" UUID,
    "amount" DECIMAL(30,6) NOT NULL,
    "status" "ReservationStatus" NOT NULL DEFAULT 'OPEN',
    "idempotency_key" TEXT,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(6),
    "transaction_id" UUID,

    CONSTRAINT "billing_reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_rollup_queue" (
    "transaction_id" UUID NOT NULL,
    "enqueued_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_rollup_queue_pkey" PRIMARY KEY ("transaction_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_mandate_id_idx" ON "api_key"("mandate_id");

-- CreateIndex
CREATE INDEX "billing_reservation_account_id_status_expires_at_idx" ON "billing_reservation"("account_id", "status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "billing_reservation_mandate_id_idempotency_key_key" ON "billing_reservation"("mandate_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_reservation" ADD CONSTRAINT "billing_reservation_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "billing_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written checks
ALTER TABLE "billing_reservation" ADD CONSTRAINT "billing_reservation_amount_check" CHECK ("amount" >= 0);
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_gateway_check"
  CHECK (coalesce("storage_included_mb", 0) >= 0 AND coalesce("provider_cost_markup_percent", 0) >= 0);
