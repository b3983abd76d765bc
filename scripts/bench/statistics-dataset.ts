import pg from "pg";

/**
 * The statistics benchmark's mandate: millions of usage debits over two years, generated
 * set-based inside PostgreSQL (INSERT … SELECT generate_series), once, in the template database
 * each run copies (bench-database.ts). Plain SQL over node-postgres, since the template is not
 * the database the process's Prisma client points at. The ledger's invariants still hold: every
 * chunk inserts its debits with running balance_after values and moves the pool balance by their
 * sum in the same statement, so balance = sum(transactions) after each chunk (an interrupted run
 * resumes).
 *
 * The debits bypass ledger_post and are not queued for the roll-up; usage_statistics is filled
 * instead by the same aggregation usage_rollup() makes (per Europe/Zurich day, month and year,
 * breakdowns as numeric(30,6) strings, missing keys as "unknown"), from one scan of the ledger.
 */
const MANDATE_NAME = "Bench statistics mandate";
const CHUNK = 250_000;
const SPAN_DAYS = 730;
const INITIAL_CREDIT = "10000000";

export interface StatisticsDataset {
  mandateId: string;
  poolAccountId: string;
  transactions: number;
  /** First and last month with usage, "YYYY-MM-01". */
  firstMonth: string;
  lastMonth: string;
}

export async function ensureStatisticsDataset(
  url: string,
  target: number,
  log: (line: string) => void,
): Promise<StatisticsDataset> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query("SET synchronous_commit = off; SET work_mem = '256MB'");
    const pool = await findOrCreateMandate(db);
    let done = await countDebits(db, pool.accountId);
    if (done >= target && (await statisticsCount(db, pool.accountId)) === done) {
      log(`statistics mandate: reusing ${done.toLocaleString("en")} transactions (bench database cache)`);
      return { ...pool, transactions: done, ...(await monthRange(db, pool.accountId)) };
    }

    const start = new Date(pool.createdAt.getTime() - SPAN_DAYS * 86_400_000);
    const stepSeconds = (SPAN_DAYS * 86_400) / target;
    log(`statistics mandate: generating ${(target - done).toLocaleString("en")} debits over ${SPAN_DAYS} days`);
    const began = Date.now();
    const startedFrom = done;
    while (done < target) {
      const to = Math.min(target, done + CHUNK);
      await db.query(INSERT_CHUNK, [pool.accountId, start.toISOString(), stepSeconds, done, to]);
      done = to;
      const rate = (done - startedFrom) / ((Date.now() - began) / 1000);
      const eta = Math.round((target - done) / rate);
      log(
        `statistics mandate: ${done.toLocaleString("en")} / ${target.toLocaleString("en")} debits ` +
          `(${Math.round((100 * done) / target)}%, ${Math.round(rate).toLocaleString("en")}/s, ETA ${eta}s)`,
      );
    }
    log("statistics mandate: aggregating usage_statistics (one scan of the ledger)");
    await db.query("BEGIN");
    await db.query("DELETE FROM usage_statistics WHERE account_id = $1", [pool.accountId]);
    await db.query(FILL_STATISTICS, [pool.accountId]);
    await db.query("COMMIT");
    const rolled = await statisticsCount(db, pool.accountId);
    if (rolled !== done) throw new Error(`statistics count ${rolled} differs from the ledger's ${done}`);
    await assertBalanced(db, pool.accountId);
    log("statistics mandate: VACUUM ANALYZE billing_transaction");
    await db.query("VACUUM (ANALYZE) billing_transaction");
    // Gigabytes were just written: flush them now, or the checkpoint and the kernel's write-back
    // slow every commit of the first phases down.
    log("statistics mandate: CHECKPOINT");
    await db.query("CHECKPOINT").catch((err: unknown) => log(`CHECKPOINT refused (${String(err)}); continuing`));
    log(`statistics mandate: ready in ${Math.round((Date.now() - began) / 1000)}s`);
    return { ...pool, transactions: done, ...(await monthRange(db, pool.accountId)) };
  } finally {
    await db.end();
  }
}

async function findOrCreateMandate(
  db: pg.Client,
): Promise<{ mandateId: string; poolAccountId: string; accountId: string; createdAt: Date }> {
  const find = () =>
    db.query<{ mandate_id: string; account_id: string; created_at: Date }>(
      `SELECT m.id AS mandate_id, a.id AS account_id, m.created_at
         FROM mandate m JOIN billing_account a ON a.mandate_id = m.id AND a.user_id IS NULL
        WHERE m.name = $1 ORDER BY m.created_at LIMIT 1`,
      [MANDATE_NAME],
    );
  let row = (await find()).rows[0];
  if (!row) {
    // What createMandate writes (mandate, settings, pool account), plus an initial credit booked by
    // ledger_post itself; it predates every debit, so balance_after stays positive all along.
    await db.query("BEGIN");
    const { rows } = await db.query<{ id: string }>("INSERT INTO mandate (name) VALUES ($1) RETURNING id", [
      MANDATE_NAME,
    ]);
    const mandateId = rows[0]?.id;
    await db.query("INSERT INTO billing_settings (mandate_id) VALUES ($1)", [mandateId]);
    const pool = await db.query<{ id: string }>(
      "INSERT INTO billing_account (mandate_id, user_id) VALUES ($1, NULL) RETURNING id",
      [mandateId],
    );
    const credit = {
      transaction_type: "CREDIT",
      amount: INITIAL_CREDIT,
      description: "Benchmark initial credit",
      reference_type: "SYSTEM",
      idempotency_key: "bench-statistics-initial-credit",
      request_hash: "bench-statistics-initial-credit",
      created_at: new Date(Date.now() - (SPAN_DAYS + 1) * 86_400_000).toISOString(),
    };
    await db.query(
      "SELECT * FROM ledger_post($1::uuid, jsonb_populate_record(NULL::billing_transaction, $2::jsonb), false)",
      [pool.rows[0]?.id, JSON.stringify(credit)],
    );
    await db.query("COMMIT");
    row = (await find()).rows[0];
  }
  if (!row) throw new Error("statistics mandate was not created");
  return {
    mandateId: row.mandate_id,
    poolAccountId: row.account_id,
    accountId: row.account_id,
    createdAt: row.created_at,
  };
}

async function countDebits(db: pg.Client, accountId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    "SELECT count(*) AS n FROM billing_transaction WHERE account_id = $1 AND transaction_type = 'DEBIT'",
    [accountId],
  );
  return Number(rows[0]?.n ?? 0);
}

async function statisticsCount(db: pg.Client, accountId: string): Promise<number> {
  const { rows } = await db.query<{ n: string | null }>(
    "SELECT sum(transaction_count) AS n FROM usage_statistics WHERE account_id = $1 AND period_type = 'YEAR'",
    [accountId],
  );
  return Number(rows[0]?.n ?? 0);
}

async function monthRange(db: pg.Client, accountId: string): Promise<{ firstMonth: string; lastMonth: string }> {
  const { rows } = await db.query<{ first: string; last: string }>(
    `SELECT to_char(min(period_start), 'YYYY-MM-DD') AS first, to_char(max(period_start), 'YYYY-MM-DD') AS last
       FROM usage_statistics WHERE account_id = $1 AND period_type = 'MONTH'`,
    [accountId],
  );
  const row = rows[0];
  if (!row?.first || !row.last) throw new Error("statistics mandate has no usage_statistics rows");
  return { firstMonth: row.first, lastMonth: row.last };
}

async function assertBalanced(db: pg.Client, accountId: string): Promise<void> {
  const { rows } = await db.query<{ balance: string; sum: string }>(
    `SELECT a.balance::text AS balance,
            (SELECT coalesce(sum(CASE t.transaction_type WHEN 'DEBIT' THEN -t.amount ELSE t.amount END), 0)
               FROM billing_transaction t WHERE t.account_id = a.id)::numeric(30,6)::text AS sum
       FROM billing_account a WHERE a.id = $1`,
    [accountId],
  );
  const row = rows[0];
  if (!row || row.balance !== row.sum) {
    throw new Error(`statistics mandate: balance ${row?.balance} differs from the sum ${row?.sum}`);
  }
}

// $1 pool account, $2 start of the span, $3 seconds between debits, [$4, $5) debit numbers.
// Providers, models and features are weighted like the demo data; amounts are skewed small.
const INSERT_CHUNK = `
WITH pool AS (
  SELECT id, mandate_id, balance FROM billing_account WHERE id = $1 FOR UPDATE
), drawn AS MATERIALIZED (
  SELECT i, random() AS rp, random() AS rf, random() AS ra, random() AS rt
    FROM generate_series($4::bigint, $5::bigint - 1) AS i
), gen AS (
  SELECT d.i, d.rt,
         $2::timestamptz + make_interval(secs => (d.i + d.rt) * $3::float8) AS created_at,
         round((0.000005 + power(d.ra, 3) * 0.25)::numeric, 6) AS amount,
         CASE WHEN d.rp < 0.40 THEN 'anthropic' WHEN d.rp < 0.70 THEN 'openai'
              WHEN d.rp < 0.85 THEN 'mistral' ELSE 'google' END AS provider,
         CASE WHEN d.rp < 0.30 THEN 'claude-4-sonnet' WHEN d.rp < 0.40 THEN 'claude-4-opus'
              WHEN d.rp < 0.60 THEN 'gpt-4o' WHEN d.rp < 0.70 THEN 'gpt-4o-mini'
              WHEN d.rp < 0.85 THEN 'mistral-large' ELSE 'gemini-2.5-pro' END AS model,
         CASE WHEN d.rf < 0.45 THEN 'chat' WHEN d.rf < 0.70 THEN 'automation'
              WHEN d.rf < 0.90 THEN 'workspace' ELSE 'documents' END AS feature
    FROM drawn d
), inserted AS (
  INSERT INTO billing_transaction (
    id, account_id, mandate_id, transaction_type, amount, currency, balance_after, description,
    reference_type, reference_id, workflow_id, feature_instance_id, feature_code, aicore_provider,
    aicore_model, created_by_user_id, processing_time, bytes_sent, bytes_received, error_count,
    provider_cost, idempotency_key, request_hash, created_at)
  SELECT gen_random_uuid(), p.id, p.mandate_id, 'DEBIT', g.amount, 'CHF',
         p.balance - sum(g.amount) OVER (ORDER BY g.i),
         'AI usage: ' || g.provider || ' ' || g.model || ' (' || g.feature || ')',
         'WORKFLOW', 'wf-' || (g.i / 7), 'wf-' || (g.i / 7), g.feature || '-' || (g.i % 20), g.feature,
         g.provider, g.model, NULL, round((g.rt * 8)::numeric, 3), (200 + g.rt * 8000)::bigint,
         (500 + g.rt * 30000)::bigint, 0, round(g.amount / 1.5, 6), 'bench-5m-' || g.i, md5(g.i::text),
         g.created_at
    FROM gen g CROSS JOIN pool p
  RETURNING amount
)
UPDATE billing_account a SET balance = a.balance - (SELECT sum(amount) FROM inserted) WHERE a.id = $1`;

// One scan of the account's debits into per-day groups (DAY as usage_period_start() computes it);
// months and years are the local day truncated, which is what usage_period_start() gives for the
// same instant. Values as usage_rollup() writes them.
const FILL_STATISTICS = `
WITH per_day AS MATERIALIZED (
  SELECT usage_period_start(t.created_at, 'DAY') AS day, usage_breakdown_key(t.aicore_provider) AS provider,
         usage_breakdown_key(t.feature_code) AS feature, usage_breakdown_key(t.aicore_model) AS model,
         sum(t.amount) AS amount, count(*) AS cnt
    FROM billing_transaction t
   WHERE t.account_id = $1 AND t.transaction_type = 'DEBIT'
   GROUP BY 1, 2, 3, 4
), per_period AS (
  SELECT p.period_type,
         (CASE p.period_type WHEN 'DAY' THEN d.day WHEN 'MONTH' THEN date_trunc('month', d.day)
                             ELSE date_trunc('year', d.day) END)::date AS period_start,
         d.provider, d.feature, d.model, d.amount, d.cnt
    FROM per_day d CROSS JOIN (VALUES ('DAY'::"PeriodType"), ('MONTH'), ('YEAR')) AS p(period_type)
), totals AS (
  SELECT period_type, period_start, sum(amount) AS amount, sum(cnt)::int AS cnt
    FROM per_period GROUP BY 1, 2
), by_provider AS (
  SELECT period_type, period_start, jsonb_object_agg(provider, amount::numeric(30,6)::text) AS breakdown
    FROM (SELECT period_type, period_start, provider, sum(amount) AS amount FROM per_period GROUP BY 1, 2, 3) s
   GROUP BY 1, 2
), by_feature AS (
  SELECT period_type, period_start, jsonb_object_agg(feature, amount::numeric(30,6)::text) AS breakdown
    FROM (SELECT period_type, period_start, feature, sum(amount) AS amount FROM per_period GROUP BY 1, 2, 3) s
   GROUP BY 1, 2
), by_model AS (
  SELECT period_type, period_start, jsonb_object_agg(model, amount::numeric(30,6)::text) AS breakdown
    FROM (SELECT period_type, period_start, model, sum(amount) AS amount FROM per_period GROUP BY 1, 2, 3) s
   GROUP BY 1, 2
)
INSERT INTO usage_statistics (account_id, period_type, period_start, total_cost_chf, transaction_count,
                              cost_by_provider, cost_by_feature, cost_by_model, updated_at)
SELECT $1, t.period_type, t.period_start, t.amount, t.cnt, p.breakdown, f.breakdown, m.breakdown, now()
  FROM totals t
  JOIN by_provider p USING (period_type, period_start)
  JOIN by_feature f USING (period_type, period_start)
  JOIN by_model m USING (period_type, period_start)`;
