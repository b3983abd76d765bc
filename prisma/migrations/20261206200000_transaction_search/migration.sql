-- Search on the transactions page: part of the model name or of the description, any case
-- (lib/ledger/list-transactions.ts, filterSql). A leading-wildcard ILIKE cannot use a btree, so
-- a trigram index answers it.
--
-- One index, not one per field: billing_transaction is append-only and large, and every booking
-- pays for each index on it. The model and the description are joined by a unit separator
-- (U+001F), which no search text can contain (SafeText refuses control characters), so a match
-- never spans both fields. The query must repeat this expression exactly, or the planner cannot
-- use the index.
--
-- account_id leads the index (btree_gin makes a uuid a GIN key): every list filters by one
-- account, and the index then yields only that account's matches instead of every mandate's,
-- which the count over a large account needs. A common term on a large account is still read
-- faster by walking (account_id, booking_sequence DESC) until a page is full; the planner chooses.
--
-- GIN's pending list (fastupdate, on by default) keeps the cost per insert small: new entries
-- are merged into the index in bulk by VACUUM, not one by one by each booking.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX "billing_transaction_search_idx" ON "billing_transaction"
  USING gin ("account_id", (COALESCE("aicore_model", '') || E'\x1f' || "description") gin_trgm_ops);
