import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { buildUsageRow } from "@/lib/ledger/book-usage";
import type { BenchMandate } from "./load-jobs";
import { usageEvent } from "./usage-events";

/**
 * The raw-SQL limit of a single usage debit: the statement the route's booking runs
 * (callLedgerPostUsage in lib/ledger/ledger-sql.ts), sent straight to the same database with the
 * same concurrency and a unique idempotency key each time, with no HTTP, Next or Prisma around it.
 * pgbench when installed (a C client, so the load generator costs least), else node-postgres.
 * Both use the extended query protocol with parameters, as Prisma's pg adapter does.
 */
export interface RawSqlResult {
  driver: "pgbench" | "node-postgres";
  debitsPerSecond: number;
  transactions: number;
  failed: number;
  durationSec: number;
  latencyMs: number | null;
}

/** Two runs, before and after the HTTP phase, as one result; each part's rate is kept. */
export interface BracketedRawSqlResult extends RawSqlResult {
  before: number;
  after: number;
}

export function bracketedRawSql(before: RawSqlResult, after: RawSqlResult): BracketedRawSqlResult {
  const transactions = before.transactions + after.transactions;
  const durationSec = before.durationSec + after.durationSec;
  return {
    driver: before.driver,
    debitsPerSecond: transactions / durationSec,
    transactions,
    failed: before.failed + after.failed,
    durationSec,
    // Mean latency over all transactions of both parts.
    latencyMs:
      before.latencyMs === null || after.latencyMs === null
        ? null
        : (before.latencyMs * before.transactions + after.latencyMs * after.transactions) / transactions,
    before: before.debitsPerSecond,
    after: after.debitsPerSecond,
  };
}

/** The route's SQL (callLedgerPostUsage), with the parameters Prisma binds. */
const ROUTE_SQL = `
      SELECT * FROM ledger_post_usage($1::uuid, $2::uuid,
        jsonb_populate_record(NULL::billing_transaction, $3::jsonb), $4::uuid)`;

/** /usr/lib/postgresql/<version>/bin/pgbench (Debian's layout), the newest version; null when absent. */
export function findPgbench(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const found = readdirSync(root)
    .sort((a, b) => Number(a) - Number(b))
    .map((version) => path.join(root, version, "bin", "pgbench"))
    .filter((bin) => existsSync(bin));
  return found.at(-1) ?? null;
}

export async function runRawSql(opts: {
  url: string;
  mandates: BenchMandate[];
  connections: number;
  durationSec: number;
  runId: string;
  driver: "pgbench" | "node-postgres";
  log: (line: string) => void;
}): Promise<RawSqlResult> {
  const pgbench = findPgbench();
  if (opts.driver === "pgbench" && pgbench) return runPgbench(pgbench, opts);
  return runNodePostgres(opts);
}

/**
 * pgbench cannot build a string per transaction, so each script binds a fixed event (one per
 * mandate and member, picked at random per transaction) and the idempotency key is put into its
 * JSON in SQL (one jsonb ||, microseconds); the function call is the route's.
 */
async function runPgbench(bin: string, opts: Parameters<typeof runRawSql>[0]): Promise<RawSqlResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-api-pgbench-"));
  const args = ["-n", "-M", "extended", "-c", String(opts.connections), "-j", "2", "-T", String(opts.durationSec)];
  args.push("-P", "5", "-D", `prefix=${opts.runId}-raw-`);
  let n = 0;
  for (const mandate of opts.mandates) {
    for (const userId of mandate.userIds) {
      const event = usageEvent([{ mandateId: mandate.mandateId, userIds: [userId] }], "placeholder");
      const row = buildUsageRow(toUsageEventShape(event));
      const file = path.join(dir, `usage-${n}.sql`);
      writeFileSync(
        file,
        `\\set r random(1, 9000000000000000000)\n` +
          `SELECT * FROM ledger_post_usage(:m${n}::uuid, :u${n}::uuid, jsonb_populate_record(NULL::billing_transaction, ` +
          `:tx${n}::jsonb || jsonb_build_object('idempotency_key', :prefix::text || :client_id || '-' || :r)), NULL::uuid);\n`,
      );
      args.push("-f", `${file}@1`, "-D", `m${n}=${mandate.mandateId}`, "-D", `u${n}=${userId}`);
      args.push("-D", `tx${n}=${JSON.stringify(row)}`);
      n++;
    }
  }
  args.push(opts.url);
  try {
    const output = await runProcess(bin, args, (line) => {
      if (line.startsWith("progress:")) opts.log(`raw SQL (pgbench): ${line.replace(/^progress: /, "")}`);
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
    const processed = /number of transactions actually processed: (\d+)/.exec(output)?.[1];
    const failed = /number of failed transactions: (\d+)/.exec(output)?.[1] ?? "0";
    const latency = /latency average = ([\d.]+) ms/.exec(output)?.[1];
    if (!tps || !processed) throw new Error(`could not read pgbench's result:\n${output}`);
    return {
      driver: "pgbench",
      debitsPerSecond: Number(tps),
      transactions: Number(processed),
      failed: Number(failed),
      durationSec: opts.durationSec,
      latencyMs: latency ? Number(latency) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** node-postgres clients, one per connection, each booking back to back until the time is up. */
async function runNodePostgres(opts: Parameters<typeof runRawSql>[0]): Promise<RawSqlResult> {
  const clients = await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      const client = new pg.Client({ connectionString: opts.url });
      await client.connect();
      return client;
    }),
  );
  let done = 0;
  let failed = 0;
  let counter = 0;
  const started = Date.now();
  const deadline = started + opts.durationSec * 1000;
  const ticker = setInterval(() => {
    const elapsed = (Date.now() - started) / 1000;
    opts.log(`raw SQL (node-postgres): ${Math.round(elapsed)}s, ${Math.round(done / elapsed)} debits/s`);
  }, 5000);
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (Date.now() < deadline) {
          const event = toUsageEventShape(usageEvent(opts.mandates, `${opts.runId}-raw-${++counter}`));
          const row = buildUsageRow(event);
          try {
            await client.query(ROUTE_SQL, [event.mandateId, event.userId, JSON.stringify(row), null]);
            done++;
          } catch {
            failed++;
          }
        }
      }),
    );
  } finally {
    clearInterval(ticker);
    await Promise.all(clients.map((client) => client.end()));
  }
  const durationSec = (Date.now() - started) / 1000;
  return {
    driver: "node-postgres",
    debitsPerSecond: done / durationSec,
    transactions: done,
    failed,
    durationSec,
    latencyMs: null,
  };
}

/** The wire event as the route hands it to bookUsage (amount given, so no markup pricing). */
function toUsageEventShape(event: Record<string, unknown>): Parameters<typeof buildUsageRow>[0] & { userId: string } {
  const str = (key: string) => String(event[key]);
  const num = (key: string) => Number(event[key]);
  return {
    mandateId: str("mandateId"),
    userId: str("userId"),
    idempotencyKey: str("idempotencyKey"),
    amount: str("amount"),
    providerCost: null,
    occurredAt: null,
    provider: str("provider"),
    model: str("model"),
    featureCode: str("featureCode"),
    featureInstanceId: str("featureInstanceId"),
    workflowId: str("workflowId"),
    processingTime: str("processingTime"),
    bytesSent: num("bytesSent"),
    bytesReceived: num("bytesReceived"),
    errorCount: num("errorCount"),
  };
}

function runProcess(bin: string, args: string[], onLine: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let pending = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(onLine);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${bin} exited ${code}:\n${output}`))));
  });
}
