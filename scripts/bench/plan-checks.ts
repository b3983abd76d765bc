import pg from "pg";

/**
 * Query plans the benchmark's figures rest on, checked on the bench database itself. They are not
 * unit tests: a plan is the planner's choice, and a PostgreSQL upgrade may change one without any
 * feature breaking. A changed plan shows here as a MISS next to the figures it would slow down.
 */
export interface PlanCheck {
  expectation: string;
  pass: boolean;
  /** What the plan showed, for a MISS. */
  found: string;
}

/** A node of `EXPLAIN (FORMAT JSON)`, as far as these checks read it. */
interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Rows Removed by Filter"?: number;
  Output?: string[];
  Plans?: PlanNode[];
}

/**
 * The business-period functions are inlined (their body, not a call, in the plan). Every booking
 * statement computes a period start per event for the roll-up queue, so a batch would otherwise
 * pay a function call per event. PostgreSQL inlines them only while they stay single-expression
 * SQL functions; declared STRICT around their CASE they would not be (they are CALLED ON NULL
 * INPUT, and a NULL argument gives NULL through the body).
 */
export async function checkPeriodFunctionsInlined(url: string): Promise<PlanCheck> {
  const expectation = "usage_period_start and usage_day_period_start are inlined";
  // A VALUES row keeps the argument from being folded into a constant.
  const statements = {
    usage_period_start: "SELECT usage_period_start(v.at, 'DAY') FROM (VALUES (now() - interval '1 day')) v(at)",
    usage_day_period_start: "SELECT usage_day_period_start(v.day, 'MONTH') FROM (VALUES (current_date - 1)) v(day)",
  };
  const called: string[] = [];
  for (const [name, sql] of Object.entries(statements)) {
    const plan = await explain(url, `EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`);
    const output = (plan.Output ?? []).join(", ");
    if (output.includes(name)) called.push(`${name} called: ${output}`);
  }
  return { expectation, pass: called.length === 0, found: called.join("; ") };
}

/**
 * The reserving check's read of the money held (billing_pool_held, inlined into
 * billing_check_reserve) runs under the pool's row lock on every reserving check, so it must stay
 * bounded: one pool's holds by the (account_id, status, expires_at) index, from the pool's
 * open_holds_expire_after up. Reading every mandate's holds grows with the platform, and reading
 * a pool's whole history of holds grows with time; either would lengthen every lock hold.
 * Checked after the reserving phase, while its holds are in the table and the statistics are as
 * the load left them.
 */
export async function checkHeldMoneyRead(url: string, mandateId: string): Promise<PlanCheck> {
  const expectation = "the reserving check reads one pool's holds from the bound up (billing_pool_held)";
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let plan: PlanNode;
  try {
    const { rows } = await client.query<{ id: string }>(
      "SELECT id FROM billing_account WHERE mandate_id = $1 AND user_id IS NULL",
      [mandateId],
    );
    const poolId = rows[0]?.id;
    if (!poolId) throw new Error(`no pool account for mandate ${mandateId}`);
    plan = await explainWith(
      client,
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM billing_pool_held(${client.escapeLiteral(poolId)}::uuid)`,
    );
  } finally {
    await client.end();
  }
  // An index scan, or a bitmap index scan under its heap scan, as the planner likes.
  const holdReads = scans(plan).filter(
    (node) => node["Relation Name"] === "billing_reservation" || node["Index Name"]?.startsWith("billing_reservation"),
  );
  const bounded = holdReads.filter((node) => node["Index Name"] !== undefined);
  const pass =
    bounded.length === 1 &&
    bounded[0]?.["Index Name"] === "billing_reservation_account_id_status_expires_at_idx" &&
    /expires_at > a\.open_holds_expire_after/.test(bounded[0]?.["Index Cond"] ?? "") &&
    holdReads.every((node) => node["Node Type"] !== "Seq Scan" && (node["Rows Removed by Filter"] ?? 0) === 0);
  const found = holdReads
    .map((node) =>
      [
        node["Node Type"],
        node["Index Name"] ?? node["Relation Name"],
        node["Index Cond"] ? `cond ${node["Index Cond"]}` : "",
        node["Rows Removed by Filter"] ? `${node["Rows Removed by Filter"]} rows removed by filter` : "",
      ]
        .filter(Boolean)
        .join(" "),
    )
    .join("; ");
  return { expectation, pass, found };
}

async function explain(url: string, sql: string): Promise<PlanNode> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await explainWith(client, sql);
  } finally {
    await client.end();
  }
}

async function explainWith(client: pg.Client, sql: string): Promise<PlanNode> {
  const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(sql);
  const plan = rows[0]?.["QUERY PLAN"][0].Plan;
  if (!plan) throw new Error(`EXPLAIN returned no plan: ${sql}`);
  return plan;
}

function scans(node: PlanNode): PlanNode[] {
  const own = node["Node Type"].includes("Scan") ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}
