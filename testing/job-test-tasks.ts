import type { Task } from "graphile-worker";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { credit } from "@/lib/ledger/post-transaction";

/**
 * Tasks of the job queue's tests (lib/jobs/job-queue.test.ts), with an effect the test can count:
 * a credit, idempotent by its key as every job's effect must be (a job may run twice).
 */
export const TestCreditPayload = z.object({
  accountId: z.uuid(),
  amount: z.string(),
  idempotencyKey: z.string(),
});
export type TestCreditPayload = z.infer<typeof TestCreditPayload>;

/**
 * `crash`: the process announces on stdout (`INSIDE <key>` or `AFTER <key>`) that it is inside
 * the credit's transaction or just past its commit, then waits until it is killed.
 */
export function creditTask(crash?: "inside" | "after"): Task {
  return async (raw) => {
    const payload = TestCreditPayload.parse(raw);
    const booking = {
      accountId: payload.accountId,
      amount: payload.amount,
      idempotencyKey: payload.idempotencyKey,
      description: "job queue test",
      referenceType: "SYSTEM" as const,
    };
    if (crash === "inside") {
      await prisma.$transaction(
        async (tx) => {
          await credit({ ...booking, tx });
          announceAndHang(`INSIDE ${payload.idempotencyKey}`);
          await new Promise(() => undefined);
        },
        { timeout: 600_000 },
      );
    }
    await credit(booking);
    if (crash === "after") {
      announceAndHang(`AFTER ${payload.idempotencyKey}`);
      await new Promise(() => undefined);
    }
  };
}

function announceAndHang(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Fails every time, saying which attempt it was. */
export function failingTask(attempts: number[]): Task {
  return (_payload, helpers) => {
    attempts.push(helpers.job.attempts);
    throw new Error(`test failure on attempt ${helpers.job.attempts}`);
  };
}
