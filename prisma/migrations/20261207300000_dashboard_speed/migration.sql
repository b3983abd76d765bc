-- The transactions page's type filter on the rare kinds: credits (top-ups, recharges) and
-- adjustments. On an account with millions of AI debits, a list or count of its few credits
-- otherwise walks every row of (account_id, booking_sequence DESC) to find them.
--
-- Partial, on the rows that are not debits: an index on billing_transaction is paid by every
-- booking, and usage debits, nearly all of the ledger and the rate that matters, only evaluate
-- the predicate and add no entry. A filter `transaction_type = 'CREDIT'` (or 'ADJUSTMENT')
-- implies the predicate, so the planner uses it; the dashboard's queries send the type as a
-- parameter of an unnamed statement, planned with its value.
CREATE INDEX "billing_transaction_not_debit_idx" ON "billing_transaction" ("account_id", "booking_sequence" DESC)
  WHERE "transaction_type" <> 'DEBIT';
