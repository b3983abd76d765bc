-- CreateEnum
CREATE TYPE "MandateRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');

-- CreateEnum
CREATE TYPE "TransactionType" AS ENUM ('CREDIT', 'DEBIT', 'ADJUSTMENT');

-- CreateEnum
CREATE TYPE "ReferenceType" AS ENUM ('WORKFLOW', 'PAYMENT', 'ADMIN', 'SYSTEM', 'STORAGE', 'SUBSCRIPTION');

-- CreateEnum
CREATE TYPE "PeriodType" AS ENUM ('DAY', 'MONTH', 'YEAR');

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "is_platform_admin" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mandate" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "allowed_providers" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mandate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "MandateRole" NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_account" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "user_id" UUID,
    "balance" DECIMAL(30,6) NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL DEFAULT 'CHF',
    "warning_threshold" DECIMAL(30,6) NOT NULL DEFAULT 0,
    "last_warning_at" TIMESTAMPTZ(6),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_transaction" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID NOT NULL,
    "mandate_id" UUID NOT NULL,
    "transaction_type" "TransactionType" NOT NULL,
    "amount" DECIMAL(30,6) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'CHF',
    "balance_after" DECIMAL(30,6) NOT NULL,
    "description" TEXT NOT NULL,
    "reference_type" "ReferenceType",
    "reference_id" TEXT,
    "workflow_id" TEXT,
    "feature_instance_id" TEXT,
    "feature_code" TEXT,
    "aicore_provider" TEXT,
    "aicore_model" TEXT,
    "created_by_user_id" UUID,
    "processing_time" DECIMAL(12,3),
    "bytes_sent" BIGINT,
    "bytes_received" BIGINT,
    "error_count" INTEGER,
    "provider_cost" DECIMAL(30,6),
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_settings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "warning_threshold_percent" DECIMAL(5,2) NOT NULL DEFAULT 10,
    "stripe_customer_id" TEXT,
    "auto_recharge_enabled" BOOLEAN NOT NULL DEFAULT false,
    "recharge_amount_chf" DECIMAL(30,6) NOT NULL DEFAULT 10,
    "recharge_max_per_month" INTEGER NOT NULL DEFAULT 3,
    "recharges_this_month" INTEGER NOT NULL DEFAULT 0,
    "month_reset_at" TIMESTAMPTZ(6),
    "notify_emails" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "notify_on_warning" BOOLEAN NOT NULL DEFAULT true,
    "storage_high_watermark_mb" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "storage_period_start_at" TIMESTAMPTZ(6),
    "storage_billed_up_to_mb" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_webhook_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_webhook_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_statistics" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID NOT NULL,
    "period_type" "PeriodType" NOT NULL,
    "period_start" DATE NOT NULL,
    "total_cost_chf" DECIMAL(30,6) NOT NULL DEFAULT 0,
    "transaction_count" INTEGER NOT NULL DEFAULT 0,
    "cost_by_provider" JSONB NOT NULL DEFAULT '{}',
    "cost_by_feature" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_statistics_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE INDEX "membership_user_id_idx" ON "membership"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "membership_mandate_id_user_id_key" ON "membership"("mandate_id", "user_id");

-- CreateIndex (hand-edited: NULLS NOT DISTINCT makes the pool account, user_id NULL, unique per mandate)
CREATE UNIQUE INDEX "billing_account_mandate_id_user_id_key" ON "billing_account"("mandate_id", "user_id") NULLS NOT DISTINCT;

-- CreateIndex
CREATE INDEX "billing_transaction_account_id_created_at_id_idx" ON "billing_transaction"("account_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "billing_transaction_mandate_id_created_at_id_idx" ON "billing_transaction"("mandate_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "billing_transaction_mandate_id_aicore_provider_created_at_idx" ON "billing_transaction"("mandate_id", "aicore_provider", "created_at");

-- CreateIndex
CREATE INDEX "billing_transaction_mandate_id_feature_code_created_at_idx" ON "billing_transaction"("mandate_id", "feature_code", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "billing_transaction_account_id_idempotency_key_key" ON "billing_transaction"("account_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "billing_settings_mandate_id_key" ON "billing_settings"("mandate_id");

-- CreateIndex
CREATE UNIQUE INDEX "billing_settings_stripe_customer_id_key" ON "billing_settings"("stripe_customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "stripe_webhook_event_event_id_key" ON "stripe_webhook_event"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "usage_statistics_account_id_period_type_period_start_key" ON "usage_statistics"("account_id", "period_type", "period_start");

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_account" ADD CONSTRAINT "billing_account_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_account" ADD CONSTRAINT "billing_account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_transaction" ADD CONSTRAINT "billing_transaction_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "billing_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_statistics" ADD CONSTRAINT "usage_statistics_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "billing_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
