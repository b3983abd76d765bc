import { bookUsage } from "@/lib/ledger/book-usage";
import { credit } from "@/lib/ledger/post-transaction";
import type { DemoUserRef } from "./demo-catalogue";
import type { PlannedBooking } from "./plan-demo-bookings";

const PROGRESS_MIN_BOOKINGS = 1_000;

export interface BookDemoPlanOptions {
  label: string;
  mandateId: string;
  poolAccountId: string;
  userIds: Partial<Record<DemoUserRef, string>>;
  bookings: readonly PlannedBooking[];
  /** Calls in flight; each booking is one SQL round trip, so this hides the latency, not the lock. */
  concurrency: number;
  log: (line: string) => void;
}

export interface BookDemoPlanResult {
  booked: number;
  replayed: number;
}

/**
 * Books a planned history through the ledger's own functions (bookUsage, credit), so the demo
 * data obeys every rule real traffic does. Bookings on one pool serialise on its row lock; with
 * several in flight, neighbours may commit in a different order than planned, which moves a
 * few balance_after values but never the final balance. On the first failure no new booking
 * starts and the error is thrown; a re-run replays what was booked and completes the rest.
 */
export async function bookDemoPlan(opts: BookDemoPlanOptions): Promise<BookDemoPlanResult> {
  const result: BookDemoPlanResult = { booked: 0, replayed: 0 };
  const total = opts.bookings.length;
  let nextIndex = 0;
  let done = 0;
  let nextReport = 1;
  let failed = false;

  const bookOne = async (booking: PlannedBooking): Promise<void> => {
    const replayed = await book(opts, booking);
    if (replayed) result.replayed++;
    else result.booked++;
    done++;
    // Progress in tenths, for plans long enough to wait for: enough to see it move, few lines to read.
    if (total >= PROGRESS_MIN_BOOKINGS && done * 10 >= nextReport * total) {
      const percent = Math.floor((done * 100) / total);
      opts.log(
        `${opts.label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} bookings (${percent}%)`,
      );
      while (nextReport * total <= done * 10) nextReport++;
    }
  };

  const worker = async (): Promise<void> => {
    while (!failed && nextIndex < total) {
      const booking = opts.bookings[nextIndex++];
      if (!booking) return;
      try {
        await bookOne(booking);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };

  // The first booking anchors the history's time window (see historyEnd in seed-demo), so it
  // must be in before any other: a run killed early then still finds the window it started.
  const [anchor] = opts.bookings;
  if (anchor) await bookOne(anchor);
  nextIndex = 1;

  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency, total)) }, worker);
  const settled = await Promise.allSettled(workers);
  const rejection = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (rejection) throw rejection.reason;
  return result;
}

async function book(opts: BookDemoPlanOptions, booking: PlannedBooking): Promise<boolean> {
  if (booking.kind === "credit") {
    const booked = await credit({
      accountId: opts.poolAccountId,
      amount: booking.amount,
      idempotencyKey: booking.idempotencyKey,
      description: booking.description,
      referenceType: booking.referenceType,
      referenceId: booking.referenceId,
      createdByUserId: booking.paidBy ? userId(opts, booking.paidBy) : null,
      occurredAt: booking.occurredAt,
    });
    return booked.replayed;
  }
  const booked = await bookUsage({
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
  });
  return booked.replayed;
}

function userId(opts: BookDemoPlanOptions, ref: DemoUserRef): string {
  const id = opts.userIds[ref];
  if (!id) throw new Error(`${opts.label}: the plan names a ${ref}, but the mandate has none`);
  return id;
}
