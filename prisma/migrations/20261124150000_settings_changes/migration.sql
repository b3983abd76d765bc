-- CreateTable
CREATE TABLE "billing_settings_change" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "mandate_id" UUID NOT NULL,
    "changed_by_user_id" UUID NOT NULL,
    "field" TEXT NOT NULL,
    "old_value" JSONB NOT NULL,
    "new_value" JSONB NOT NULL,
    "changed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_settings_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "billing_settings_change_mandate_id_changed_at_id_idx" ON "billing_settings_change"("mandate_id", "changed_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "billing_settings_change" ADD CONSTRAINT "billing_settings_change_mandate_id_fkey" FOREIGN KEY ("mandate_id") REFERENCES "mandate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_settings_change" ADD CONSTRAINT "billing_settings_change_changed_by_user_id_fkey" FOREIGN KEY ("changed_by_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
