import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { pgPool } from "@/lib/db/pg-pool";
import { createTestMandate } from "@/testing/test-factories";
import { creditTask, failingTask, type TestCreditPayload } from "@/testing/job-test-tasks";
import { waitUntil } from "@/testing/wait-until";
import { addJobWithin, enqueueJob, enqueueJobNow } from "./queue";
import { PERIODIC_JOBS, PERIODIC_TASKS } from "./periodic-jobs";
import { startWorker, type JobWorker } from "./worker";

// Each test waits for jobs by reading the queue and the ledger (no sleeps); other test files'
// app servers run workers on the same database, which never take these tests' tasks.

interface JobRow {
  id: string;
  key: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_at: Date | null;
}

/** The queue's rows of one task (graphile-worker's own tables: its `jobs` view leaves out the payload). */
async function jobsOf(task: string, idempotencyKey?: string): Promise<JobRow[]> {
  const { rows } = await pgPool.query<JobRow>(
    `SELECT j.id::text, j.key, j.attempts, j.max_attempts, j.last_error, j.locked_by, j.locked_at
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = $1 AND ($2::text IS NULL OR j.payload->>'idempotencyKey' = $2) ORDER BY j.id`,
    [task, idempotencyKey ?? null],
  );
  return rows;
}

async function credits(accountId: string, idempotencyKey: string) {
  const [rows, account] = await Promise.all([
    prisma.billingTransaction.findMany({ where: { accountId, idempotencyKey } }),
    prisma.billingAccount.findUniqueOrThrow({ where: { id: accountId } }),
  ]);
  return { count: rows.length, balance: account.balance.toFixed(6) };
}

function creditPayload(accountId: string): TestCreditPayload {
  return { accountId, amount: "5.000000", idempotencyKey: `job-test-${randomUUID()}` };
}

const failedAttempts: number[] = [];
let worker: JobWorker;

beforeAll(async () => {
  worker = await startWorker({
    concurrency: 2,
    onlyExtraTasks: true,
    extraTasks: { "test-credit": creditTask(), "test-fail": failingTask(failedAttempts) },
  });
});
afterAll(async () => {
  await worker.stop();
});

describe("jobs enqueued in a transaction", () => {
  it("a job whose transaction rolls back never exists, so never runs; a committed one runs once", async () => {
    const m = await createTestMandate();
    const rolledBack = creditPayload(m.poolAccountId);
    await expect(
      prisma.$transaction(async (tx) => {
        await addJobWithin(tx, "test-credit", rolledBack);
        throw new Error("the booking failed");
      }),
    ).rejects.toThrow("the booking failed");
    expect(await jobsOf("test-credit", rolledBack.idempotencyKey)).toEqual([]);

    // Enqueued after it: once this one has run, the worker has passed where the first would be.
    const committed = creditPayload(m.poolAccountId);
    await prisma.$transaction(async (tx) => {
      await addJobWithin(tx, "test-credit", committed);
    });
    await waitUntil(
      "the committed job ran",
      async () => (await jobsOf("test-credit", committed.idempotencyKey)).length === 0,
    );

    expect(await credits(m.poolAccountId, committed.idempotencyKey)).toEqual({ count: 1, balance: "5.000000" });
    expect((await credits(m.poolAccountId, rolledBack.idempotencyKey)).count).toBe(0);
  });

  it("enqueueJob adds a registered task's job with its key, one waiting job per key", async () => {
    const jobKey = `job-test-${randomUUID()}`;
    const runAt = new Date(Date.now() + 3_600_000); // stays waiting: this test's worker does not run it anyway
    await expect(
      prisma.$transaction(async (tx) => {
        await enqueueJob(tx, "reservation-expiry", {}, { jobKey, runAt });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const keyed = () => pgPool.query("SELECT 1 FROM graphile_worker.jobs WHERE key = $1", [jobKey]);
    expect((await keyed()).rowCount).toBe(0);

    await prisma.$transaction(async (tx) => enqueueJob(tx, "reservation-expiry", {}, { jobKey, runAt }));
    await enqueueJobNow("reservation-expiry", {}, { jobKey, runAt });
    expect((await keyed()).rowCount).toBe(1);
    await pgPool.query("SELECT graphile_worker.remove_job($1)", [jobKey]);
  });
});

describe("failures", () => {
  it("a task that throws is retried up to maxAttempts, then stays failed with its error", async () => {
    const jobKey = `job-test-${randomUUID()}`;
    await prisma.$transaction(async (tx) => addJobWithin(tx, "test-fail", {}, { jobKey, maxAttempts: 2 }));
    // graphile-worker waits exp(attempts) seconds before a retry: about 3 s after the first failure.
    await waitUntil(
      "the job failed twice",
      async () => failedAttempts.length === 2 && !(await jobsOf("test-fail"))[0]?.locked_at,
    );

    const [job] = await jobsOf("test-fail");
    expect(job).toMatchObject({
      key: jobKey,
      attempts: 2,
      max_attempts: 2,
      last_error: expect.stringContaining("test failure on attempt 2"),
    });
    expect(failedAttempts).toEqual([1, 2]);
    await pgPool.query("SELECT graphile_worker.remove_job($1)", [jobKey]);
  });

  // A worker killed mid-job leaves the job locked: graphile-worker frees locks older than 4 hours
  // (every worker checks every 8–10 minutes), or at once when told which workers are dead
  // (force_unlock_workers), which the test does instead of waiting.
  it.each(["inside", "after"] as const)(
    "a worker killed %s its effect's commit neither loses nor doubles the effect",
    async (crash) => {
      const m = await createTestMandate();
      const payload = creditPayload(m.poolAccountId);
      const child = startChildWorker(crash);
      try {
        await child.line("READY");
        await prisma.$transaction(async (tx) => addJobWithin(tx, "test-crash-credit", payload));
        await child.line(`${crash === "inside" ? "INSIDE" : "AFTER"} ${payload.idempotencyKey}`);
        child.process.kill("SIGKILL");
        await child.exited;
      } finally {
        child.process.kill("SIGKILL");
      }

      const [locked] = await jobsOf("test-crash-credit", payload.idempotencyKey);
      expect(locked).toMatchObject({ attempts: 1, locked_by: expect.any(String) });
      expect((await credits(m.poolAccountId, payload.idempotencyKey)).count).toBe(crash === "inside" ? 0 : 1);

      await pgPool.query("SELECT graphile_worker.force_unlock_workers(ARRAY[$1::text])", [locked?.locked_by]);
      const recovery = await startWorker({
        concurrency: 1,
        onlyExtraTasks: true,
        extraTasks: { "test-crash-credit": creditTask() },
      });
      try {
        await waitUntil(
          "the job ran again",
          async () => (await jobsOf("test-crash-credit", payload.idempotencyKey)).length === 0,
        );
      } finally {
        await recovery.stop();
      }
      expect(await credits(m.poolAccountId, payload.idempotencyKey)).toEqual({ count: 1, balance: "5.000000" });
    },
  );
});

describe("periodic jobs", () => {
  it("exist once however many workers start, and keep running", async () => {
    // Four generations of the jobs due every second; the slower ones are checked for one job each.
    const frequent = PERIODIC_TASKS.filter((task) => PERIODIC_JOBS[task].intervalSeconds <= 1);
    const idsSeen = new Map(frequent.map((task) => [task, new Set<string>()]));
    const started = await Promise.allSettled([startWorker({ concurrency: 1 }), startWorker({ concurrency: 1 })]);
    const workers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    try {
      for (const s of started) if (s.status === "rejected") throw s.reason;
      // Each job runs and queues its successor under the same key: wait for four generations,
      // checking at every look that no second one waits beside it.
      await waitUntil("each periodic job ran four times", async () => {
        const { rows } = await pgPool.query<{
          id: string;
          task_identifier: string;
          key: string | null;
          locked_at: Date | null;
        }>(
          `SELECT id::text, task_identifier, key, locked_at FROM graphile_worker.jobs
            WHERE task_identifier = ANY($1::text[]) AND attempts < max_attempts`,
          [PERIODIC_TASKS],
        );
        for (const task of PERIODIC_TASKS) {
          const mine = rows.filter((r) => r.task_identifier === task);
          expect(mine.filter((r) => r.locked_at === null).length, `${task} waits once`).toBeLessThanOrEqual(1);
          expect(mine.filter((r) => r.key === task).length, `${task} has one job under its key`).toBeLessThanOrEqual(1);
          for (const r of mine) idsSeen.get(task)?.add(r.id);
        }
        return [...idsSeen.values()].every((ids) => ids.size >= 4);
      });
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});

/** The worker of testing/job-worker-child.ts, with its stdout read line by line. */
function startChildWorker(crash: "inside" | "after") {
  // node itself with tsx's loader: the tsx command runs node as a child, which a SIGKILL would miss.
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("testing/job-worker-child.ts"), crash],
    { env: process.env, stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  let buffered = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      lines.push(line);
      for (const w of waiters.filter((w) => w.line === line)) w.resolve();
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    exited,
    line: (line: string) =>
      lines.includes(line)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ line, resolve })),
            exited.then(() => {
              throw new Error(`the child worker exited before printing ${line}`);
            }),
          ]),
  };
}
