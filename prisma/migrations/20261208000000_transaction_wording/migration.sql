-- What the platform's own bookings say, as a key and its values (lib/ledger/wording.ts), so pages
-- render each in the reader's language from facts instead of reading the stored English sentence
-- back. One row per worded transaction: top-ups, automatic recharges, refunds, disputes, plan
-- budgets, storage overage, the demo's credits. AI debits have none (their columns say what they
-- were), nor has text a person typed (an admin's reason).
--
-- Written by the booking's own statement (lib/ledger/ledger-sql.ts), so booking and wording commit
-- together; append-only like the transaction it words. An AI debit never touches this table.

CREATE TABLE "billing_transaction_wording" (
  "transaction_id" UUID NOT NULL,
  "key" TEXT NOT NULL,
  "values" JSONB NOT NULL DEFAULT '{}',
  -- No foreign key, as for every table naming a transaction: one would make TRUNCATE of the
  -- ledger fail on the reference before the ledger's own guard refuses it (BL405).
  CONSTRAINT "billing_transaction_wording_pkey" PRIMARY KEY ("transaction_id"),
  CONSTRAINT "billing_transaction_wording_key_check" CHECK ("key" IN (
    'topUp', 'autoRecharge', 'refund', 'disputeWithdrawn', 'disputeReinstated', 'welcomeCredit',
    'bankTransfer', 'planBudget', 'storageOverage')),
  CONSTRAINT "billing_transaction_wording_values_check" CHECK (jsonb_typeof("values") = 'object')
);

CREATE TRIGGER billing_transaction_wording_immutable_row
  BEFORE UPDATE OR DELETE ON "billing_transaction_wording"
  FOR EACH ROW EXECUTE FUNCTION billing_transaction_refuse_change();
CREATE TRIGGER billing_transaction_wording_immutable_truncate
  BEFORE TRUNCATE ON "billing_transaction_wording"
  FOR EACH STATEMENT EXECUTE FUNCTION billing_transaction_refuse_change();

GRANT INSERT ON "billing_transaction_wording" TO billing_app;

-- ---------------------------------------------------------------------------------------------
-- The rows booked before: their wording recovered from the sentences the platform wrote (the
-- same forms lib/ledger/wording.ts writes). A sentence of another form stays unworded and is
-- shown as stored. Reads the rows that are not AI usage only.
-- wording-backfill:begin
INSERT INTO "billing_transaction_wording" (transaction_id, key, "values")
SELECT t.id, k.key,
       CASE
         WHEN k.key IN ('topUp', 'autoRecharge') THEN jsonb_build_object('card',
           CASE WHEN m.card IS NULL THEN NULL ELSE jsonb_build_object('brand', m.card[2], 'last4', m.card[3]) END)
         WHEN k.key IN ('refund', 'disputeWithdrawn', 'disputeReinstated') THEN jsonb_build_object('stripeId', m.stripe[2])
         WHEN k.key = 'planBudget' THEN jsonb_build_object('planNameDe', coalesce(p.name_de, m.plan[1]),
                                                          'planNameEn', coalesce(p.name_en, m.plan[1]))
         WHEN k.key = 'storageOverage' THEN jsonb_build_object(
           'fromMB', replace(m.storage[1], ',', ''), 'toMB', replace(m.storage[2], ',', ''),
           'includedMB', replace(m.storage[3], ',', ''), 'peakMB', replace(m.storage[4], ',', ''),
           'period', m.storage[5])
         ELSE '{}'::jsonb
       END
  FROM "billing_transaction" t
  LEFT JOIN "subscription_period_credit" c ON c.transaction_id = t.id
  LEFT JOIN "subscription" s ON s.id = c.subscription_id
  LEFT JOIN "plan" p ON p.id = s.plan_id
  CROSS JOIN LATERAL (
    SELECT regexp_match(t.description, '^(Top-up|Automatic recharge) by card (?:(\S+) )?•••• (\d{4})$') AS card,
           regexp_match(t.description,
             '^(Refund of a top-up|Disputed top-up: funds withdrawn|Dispute won: funds reinstated) \((\S+)\)$') AS stripe,
           regexp_match(t.description, '^AI budget of plan (.+)$') AS plan,
           regexp_match(t.description,
             '^Storage overage (\S+) MB → (\S+) MB above (\S+) MB included \(peak (\S+) MB, period (\S+)\)$') AS storage
  ) m
  CROSS JOIN LATERAL (
    SELECT CASE
             WHEN t.reference_type = 'PAYMENT' AND t.description = 'Top-up' THEN 'topUp'
             WHEN t.reference_type = 'PAYMENT' AND t.description = 'Automatic recharge' THEN 'autoRecharge'
             WHEN t.reference_type = 'PAYMENT' AND m.card IS NOT NULL
               THEN CASE m.card[1] WHEN 'Top-up' THEN 'topUp' ELSE 'autoRecharge' END
             WHEN t.reference_type = 'PAYMENT' AND m.stripe IS NOT NULL
               THEN CASE m.stripe[1] WHEN 'Refund of a top-up' THEN 'refund'
                                     WHEN 'Disputed top-up: funds withdrawn' THEN 'disputeWithdrawn'
                                     ELSE 'disputeReinstated' END
             WHEN t.reference_type = 'SYSTEM' AND t.description = 'Welcome credit' THEN 'welcomeCredit'
             WHEN t.reference_type = 'SYSTEM' AND t.description = 'Top-up by bank transfer' THEN 'bankTransfer'
             WHEN t.reference_type = 'SUBSCRIPTION' AND m.plan IS NOT NULL THEN 'planBudget'
             WHEN t.reference_type = 'STORAGE' AND m.storage IS NOT NULL THEN 'storageOverage'
           END AS key
  ) k
 WHERE t.reference_type IS DISTINCT FROM 'WORKFLOW'
   AND k.key IS NOT NULL
ON CONFLICT (transaction_id) DO NOTHING;
-- wording-backfill:end
