-- =============================================================================================
-- Money in: Stripe Checkout top-ups (lib/payments). Our payment row is written before Stripe is
-- asked for anything, so every Stripe call's idempotency key and every booking's key derive from
-- it: the credit is `payment:<id>`, a refund `refund:<re_…>`, a dispute's withdrawal and
-- reinstatement `dispute:<dp_…>:withdrawn` / `:reinstated`. Bookings go through the ledger
-- functions like every other; these tables only say which Stripe object each booking answers.
-- =============================================================================================

CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'PROCESSING', 'PAID', 'FAILED', 'EXPIRED');

CREATE TABLE "payment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "created_by_user_id" UUID,
    "amount" DECIMAL(30,6) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'CHF',
    "status" "PaymentStatus" NOT NULL DEFAULT 'PENDING',
    "save_card" BOOLEAN NOT NULL DEFAULT false,
    "stripe_checkout_session_id" TEXT,
    "stripe_payment_intent_id" TEXT,
    "stripe_charge_id" TEXT,
    "card_brand" TEXT,
    "card_last4" TEXT,
    "receipt_url" TEXT,
    "credit_transaction_id" UUID,
    "paid_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id"),
    -- Whole Rappen: Stripe charges CHF in minor units.
    CONSTRAINT "payment_amount_check" CHECK ("amount" > 0 AND "amount" = round("amount", 2)),
    -- PAID exactly when credited.
    CONSTRAINT "payment_paid_iff_credited" CHECK (("status" = 'PAID') = ("credit_transaction_id" IS NOT NULL))
);

CREATE UNIQUE INDEX "payment_stripe_checkout_session_id_key" ON "payment"("stripe_checkout_session_id");
CREATE UNIQUE INDEX "payment_stripe_payment_intent_id_key" ON "payment"("stripe_payment_intent_id");
CREATE UNIQUE INDEX "payment_stripe_charge_id_key" ON "payment"("stripe_charge_id");
CREATE UNIQUE INDEX "payment_credit_transaction_id_key" ON "payment"("credit_transaction_id");
CREATE INDEX "payment_mandate_id_created_at_idx" ON "payment"("mandate_id", "created_at" DESC);

ALTER TABLE "payment" ADD CONSTRAINT "payment_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payment" ADD CONSTRAINT "payment_created_by_user_id_fkey" FOREIGN KEY ("created_by_user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "payment_refund" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "payment_id" UUID NOT NULL,
    "stripe_refund_id" TEXT NOT NULL,
    "amount" DECIMAL(30,6) NOT NULL,
    "transaction_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_refund_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_refund_amount_check" CHECK ("amount" > 0)
);

CREATE UNIQUE INDEX "payment_refund_stripe_refund_id_key" ON "payment_refund"("stripe_refund_id");
CREATE UNIQUE INDEX "payment_refund_transaction_id_key" ON "payment_refund"("transaction_id");
CREATE INDEX "payment_refund_payment_id_idx" ON "payment_refund"("payment_id");
ALTER TABLE "payment_refund" ADD CONSTRAINT "payment_refund_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "payment_dispute" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "payment_id" UUID NOT NULL,
    "stripe_dispute_id" TEXT NOT NULL,
    "amount" DECIMAL(30,6) NOT NULL,
    "status" TEXT NOT NULL,
    "withdrawn_transaction_id" UUID,
    "reinstated_transaction_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_dispute_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_dispute_amount_check" CHECK ("amount" > 0)
);

CREATE UNIQUE INDEX "payment_dispute_stripe_dispute_id_key" ON "payment_dispute"("stripe_dispute_id");
CREATE UNIQUE INDEX "payment_dispute_withdrawn_transaction_id_key" ON "payment_dispute"("withdrawn_transaction_id");
CREATE UNIQUE INDEX "payment_dispute_reinstated_transaction_id_key" ON "payment_dispute"("reinstated_transaction_id");
CREATE INDEX "payment_dispute_payment_id_idx" ON "payment_dispute"("payment_id");
ALTER TABLE "payment_dispute" ADD CONSTRAINT "payment_dispute_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The app writes these rows itself (SELECT comes with the default privileges of the app role).
GRANT INSERT, UPDATE ON "payment", "payment_dispute" TO billing_app;
GRANT INSERT ON "payment_refund" TO billing_app;
