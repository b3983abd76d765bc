-- Every list of transactions is per account (the pool or one user's audit account) and walks
-- (account_id, created_at DESC, id DESC); nothing reads the mandate-wide order any more, while
-- each booking paid for one more index insert.

-- DropIndex
DROP INDEX "billing_transaction_mandate_id_created_at_id_idx";
