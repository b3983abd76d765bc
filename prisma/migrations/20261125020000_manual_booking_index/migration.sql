-- The admin page's list of manual bookings gets a partial index, written by hand: schema.prisma
-- cannot express a partial index (scripts/db/schema-drift.ts lists it as a hand-written exception).
--
-- Why: listManualBookings (lib/admin/list-manual-bookings.ts) asks for the newest ADMIN bookings
-- of a pool account. Manual bookings are a handful among millions of usage debits, so walking the
-- account's (account_id, created_at, id) index, or scanning the table, read every transaction of a
-- busy mandate before finding none: 1.3 s on the benchmark's mandate with 5,000,000 transactions
-- (EXPLAIN ANALYZE: parallel seq scan, 6.5 million rows removed by the filter). The partial index
-- holds only ADMIN bookings, so the list reads at most `limit` entries, and usage debits, which
-- are never ADMIN, do not write to it.

-- CreateIndex
CREATE INDEX "billing_transaction_admin_account_id_created_at_id_idx"
  ON "billing_transaction"("account_id", "created_at" DESC, "id" DESC)
  WHERE "reference_type" = 'ADMIN';
