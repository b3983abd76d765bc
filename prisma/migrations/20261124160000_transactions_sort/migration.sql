-- CreateIndex
CREATE INDEX "billing_transaction_account_id_amount_id_idx" ON "billing_transaction"("account_id", "amount" DESC, "id" DESC);
