import { describe, expect, it } from "vitest";
import { startPeriodicTask } from "./periodic-task";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startPeriodicTask", () => {
  it("runs the task again and again, never overlapping, survives a failure and stops", async () => {
    let runs = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const errors: unknown[] = [];
    const stop = startPeriodicTask(
      "test task",
      async () => {
        runs++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await pause(15); // longer than the interval: a next tick must wait for this one
        inFlight--;
        if (runs === 2) throw new Error("second run fails");
      },
      { intervalMs: 5, log: { error: (...args: unknown[]) => errors.push(args) } },
    );
    expect(startPeriodicTask("test task", async () => undefined, { intervalMs: 5 })).toBe(stop);
    await pause(150);
    await stop();
    const afterStop = runs;
    await pause(50);

    expect(afterStop).toBeGreaterThanOrEqual(4);
    expect(runs).toBe(afterStop);
    expect(maxInFlight).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
