-- usage_period_start and usage_day_period_start become inlinable: the planner replaces a call by
-- the function's expression, instead of running a SQL function per row.
--
-- Why: both were STRICT around a CASE. PostgreSQL only inlines a STRICT SQL function whose body is
-- strict as well, and CASE is not, so every debit of a batch called usage_period_start once for
-- the roll-up queue (ledger_post_usage_batch, migration *_batch_throughput). Measured on the
-- benchmark database: 20,000 calls 45 ms as a function, 9.4 ms inlined; a 1,000-event batch with
-- 2,000 postings (median of 15, one connection) 77 -> 72 ms.
--
-- Nothing else changes: with a NULL argument both bodies return NULL, as STRICT did (a CASE on
-- a NULL period matches no branch, and date_trunc of NULL is NULL). A test checks the inlining
-- and the NULL results (lib/stats/period-start-sql.test.ts).
ALTER FUNCTION usage_period_start(TIMESTAMPTZ, "PeriodType") CALLED ON NULL INPUT;
ALTER FUNCTION usage_day_period_start(DATE, "PeriodType") CALLED ON NULL INPUT;
