-- The transactions page's search, without a trigram entry per AI debit.
--
-- 20261206200000 indexed model || description of every row in one GIN trigram index, so every
-- debit paid for some twenty trigram keys, merged later from GIN's pending list by the booking
-- that overflows it. An AI debit's description is generated from its provider, model and feature
-- (the dashboard renders it from those fields in the viewer's language), so the only text worth
-- searching on it is the model name; free text lives on the few other rows (manual bookings,
-- payments, credits). The search is therefore:
--   * the model name: the distinct models of the account are read by skipping through the btree
--     below (one probe per model, and an account has a handful), matched with ILIKE, and the rows
--     found by model equality on the same btree; it also serves the model filter;
--   * the description of rows that are not AI usage: a trigram index on those rows only.
-- lib/ledger/list-transactions.ts (filterSql) writes the matching conditions; its plan test
-- keeps both indexes in use.
DROP INDEX IF EXISTS "billing_transaction_search_idx";

CREATE INDEX "billing_transaction_model_idx" ON "billing_transaction"
  ("account_id", "aicore_model", "booking_sequence" DESC)
  WHERE "aicore_model" IS NOT NULL;

CREATE INDEX "billing_transaction_description_search_idx" ON "billing_transaction"
  USING gin ("account_id", "description" gin_trgm_ops)
  WHERE "reference_type" IS DISTINCT FROM 'WORKFLOW';
