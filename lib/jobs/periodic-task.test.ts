import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startPeriodicTask } from "./periodic-task";

// Vitest's fake timers stand in for the clock: each test moves time itself, and each run of the
// task lasts until the test ends it, so nothing here depends on how busy the machine is.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const INTERVAL_MS = 1_000;

/** A task whose runs the test ends one by one (finish or fail), counting how many overlap. */
function controlledTask() {
  const runs: { finish: () => void; fail: (err: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = () =>
    new Promise<void>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      runs.push({
        finish: () => {
          inFlight--;
          resolve();
        },
        fail: (err) => {
          inFlight--;
          reject(err);
        },
      });
    });
  return {
    run,
    /** Run n (1-based), which must have started. */
    runNo: (n: number) => {
      const started = runs[n - 1];
      if (!started) throw new Error(`run ${n} has not started (${runs.length} did)`);
      return started;
    },
    get started() {
      return runs.length;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe("startPeriodicTask", () => {
  it("runs the task again and again, one run at a time, and goes on after a failure", async () => {
    const task = controlledTask();
    const errors: unknown[][] = [];
    const stop = startPeriodicTask("test: repeats", task.run, {
      intervalMs: INTERVAL_MS,
      log: { error: (...args: unknown[]) => errors.push(args) },
    });

    await advance(INTERVAL_MS - 1);
    expect(task.started).toBe(0); // the first run waits an interval too
    await advance(1);
    expect(task.started).toBe(1);

    // A run that lasts many intervals: no other run starts beside it.
    await advance(10 * INTERVAL_MS);
    expect(task.started).toBe(1);

    // A failure is logged, and the next run still comes an interval later.
    task.runNo(1).fail(new Error("first run fails"));
    await advance(INTERVAL_MS);
    expect(errors).toEqual([["test: repeats failed; retrying on the next tick", new Error("first run fails")]]);
    expect(task.started).toBe(2);

    for (let n = 2; n <= 5; n++) {
      await advance(10 * INTERVAL_MS);
      expect(task.started).toBe(n);
      task.runNo(n).finish();
      await advance(INTERVAL_MS);
      expect(task.started).toBe(n + 1);
    }
    expect(task.maxInFlight).toBe(1);
    expect(errors).toHaveLength(1);

    task.runNo(6).finish();
    await stop();
  });

  it("stop() waits for the run in progress, and no run starts after it", async () => {
    const task = controlledTask();
    const stop = startPeriodicTask("test: stops", task.run, { intervalMs: INTERVAL_MS });
    await advance(INTERVAL_MS);
    expect(task.started).toBe(1);

    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    await advance(10 * INTERVAL_MS);
    expect(stopped).toBe(false); // the run is still going
    expect(task.started).toBe(1);

    task.runNo(1).finish();
    await stopping;
    await advance(10 * INTERVAL_MS);
    expect(task.started).toBe(1);

    // Stopped between runs: the next run never comes.
    const again = controlledTask();
    const stopAgain = startPeriodicTask("test: stops", again.run, { intervalMs: INTERVAL_MS });
    expect(stopAgain).not.toBe(stop); // the name was free again
    await advance(INTERVAL_MS);
    again.runNo(1).finish();
    await advance(INTERVAL_MS / 2);
    await stopAgain();
    await advance(10 * INTERVAL_MS);
    expect(again.started).toBe(1);
  });

  it("a second start under the same name returns the running task's stop and starts nothing", async () => {
    const task = controlledTask();
    const other = controlledTask();
    const stop = startPeriodicTask("test: once", task.run, { intervalMs: INTERVAL_MS });
    expect(startPeriodicTask("test: once", other.run, { intervalMs: INTERVAL_MS })).toBe(stop);

    await advance(INTERVAL_MS);
    expect([task.started, other.started]).toEqual([1, 0]);
    task.runNo(1).finish();
    await stop();
  });
});
