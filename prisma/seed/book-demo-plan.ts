import { MAX_BATCH_EVENTS } from "@/lib/api/routes/billing";
import { bookUsageBatch, type UsageEvent } from "@/lib/ledger/book-usage";
import { credit } from "@/lib/ledger/post-transaction";
import type { DemoUserRef } from "./demo-catalogue";
import type { PlannedBooking, PlannedCredit, PlannedUsage } from "./plan-demo-bookings";

const PROGRESS_MIN_BOOKINGS = 1_000;

export interface BookDemoPlanOptions {
  label: string;
  mandateId: string;
  poolAccountId: string;
  userIds: Partial<Record<DemoUserRef, string>>;
  bookings: readonly PlannedBooking[];
  /** Usage events per statement; defaults to what the batch API accepts in one request. */
  batchSize?: number;
  log: (line: string) => void;
}

export interface BookDemoPlanResult {
  booked: number;
  replayed: number;
}

/**
 * Books a planned history through the ledger's own functions, so the demo data obeys every
 * rule real traffic does: runs of usage go through the batch booking the gateway's batch API
 * uses (bookUsageBatch, one statement per batch), the top-ups between them through credit.
 * Everything is booked in plan order, so each balance_after is the plan's running balance, and
 * booking order (the order every transaction list follows) is plan order: the lists read as a
 * running balance. The plan is history, months of calls booked today: it goes to the ledger
 * below lib/usage, whose occurredAt window (a week back) guards the API, not the ledger; the
 * rows' createdAt is each call's time, their bookedAt the time of seeding.
 * On the first failure the error is thrown; a re-run replays what was booked (duplicates in
 * a batch cost nothing) and completes the rest.
 */
export async function bookDemoPlan(opts: BookDemoPlanOptions): Promise<BookDemoPlanResult> {
  const result: BookDemoPlanResult = { booked: 0, replayed: 0 };
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS));
  const total = opts.bookings.length;
  let done = 0;
  let nextReport = 1;

  const count = (booked: number, replayed: number): void => {
    result.booked += booked;
    result.replayed += replayed;
    done += booked + replayed;
    // Progress in tenths, for plans long enough to wait for: enough to see it move, few lines to read.
    if (total >= PROGRESS_MIN_BOOKINGS && done * 10 >= nextReport * total) {
      const percent = Math.floor((done * 100) / total);
      opts.log(
        `${opts.label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} bookings (${percent}%)`,
      );
      while (nextReport * total <= done * 10) nextReport++;
    }
  };

  // The first booking (the initial credit) anchors the history's time window (see historyEnd in
  // seed-demo); plan order books it first, so a run killed early still finds the window it started.
  let usageRun: PlannedUsage[] = [];
  const flushUsage = async (): Promise<void> => {
    if (usageRun.length === 0) return;
    const { booked, replayed } = await bookUsageRun(opts, usageRun);
    usageRun = [];
    count(booked, replayed);
  };
  for (const booking of opts.bookings) {
    if (booking.kind === "usage") {
      usageRun.push(booking);
      if (usageRun.length >= batchSize) await flushUsage();
      continue;
    }
    await flushUsage();
    const replayed = await bookCredit(opts, booking);
    count(replayed ? 0 : 1, replayed ? 1 : 0);
  }
  await flushUsage();
  return result;
}

async function bookCredit(opts: BookDemoPlanOptions, booking: PlannedCredit): Promise<boolean> {
  const booked = await credit({
    accountId: opts.poolAccountId,
    amount: booking.amount,
    idempotencyKey: booking.idempotencyKey,
    wording: booking.wording,
    referenceType: booking.referenceType,
    referenceId: booking.referenceId,
    createdByUserId: booking.paidBy ? userId(opts, booking.paidBy) : null,
    occurredAt: booking.occurredAt,
  });
  return booked.replayed;
}

/** One statement for the whole run; any event the ledger refuses fails the seed. */
async function bookUsageRun(opts: BookDemoPlanOptions, run: readonly PlannedUsage[]): Promise<BookDemoPlanResult> {
  const outcomes = await bookUsageBatch(run.map((booking) => toUsageEvent(opts, booking)));
  const result: BookDemoPlanResult = { booked: 0, replayed: 0 };
  outcomes.forEach((outcome, i) => {
    if (outcome.status === "booked") result.booked++;
    else if (outcome.status === "duplicate") result.replayed++;
    else {
      const key = run[i]?.idempotencyKey ?? `#${i}`;
      throw new Error(
        `${opts.label}: ${key} was refused: ${outcome.error?.code ?? "?"} ${outcome.error?.message ?? ""}`,
      );
    }
  });
  return result;
}

function toUsageEvent(opts: BookDemoPlanOptions, booking: PlannedUsage): UsageEvent {
  return {
    mandateId: opts.mandateId,
    userId: userId(opts, booking.user),
    amount: booking.amount,
    providerCost: booking.providerCost,
    idempotencyKey: booking.idempotencyKey,
    provider: booking.provider,
    model: booking.model,
    featureCode: booking.featureCode,
    featureInstanceId: booking.featureInstanceId,
    workflowId: booking.workflowId,
    processingTime: booking.processingTime,
    bytesSent: booking.bytesSent,
    bytesReceived: booking.bytesReceived,
    errorCount: booking.errorCount,
    occurredAt: booking.occurredAt,
  };
}

function userId(opts: BookDemoPlanOptions, ref: DemoUserRef): string {
  const id = opts.userIds[ref];
  if (!id) throw new Error(`${opts.label}: the plan names a ${ref}, but the mandate has none`);
  return id;
}
