/**
 * A task the Next server runs every few seconds in the background (started from
 * instrumentation.ts): the usage roll-up, the reservation expiry sweep. Runs are chained with
 * setTimeout, so they never overlap within a process; other processes may run the same task at
 * the same time, so every task must be safe to run concurrently (both skip locked rows). Errors
 * are logged and the next tick tries again.
 */
export interface PeriodicTaskOptions {
  intervalMs: number;
  log?: Pick<Console, "error">;
}

// One runner per task and process, also when a dev server re-evaluates the modules.
const running = globalThis as unknown as { periodicTasks?: Map<string, () => Promise<void>> };

/** Starts the task; the returned function stops it after the run in progress. */
export function startPeriodicTask(
  name: string,
  run: () => Promise<unknown>,
  opts: PeriodicTaskOptions,
): () => Promise<void> {
  const tasks = (running.periodicTasks ??= new Map());
  const existing = tasks.get(name);
  if (existing) return existing;
  const log = opts.log ?? console;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();

  const tick = () => {
    current = run()
      .then(() => undefined)
      .catch((err: unknown) => log.error(`${name} failed; retrying on the next tick`, err))
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, opts.intervalMs);
    // A background task alone must not keep a process alive (scripts, tests).
    timer.unref();
  };

  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await current;
    if (tasks.get(name) === stop) tasks.delete(name);
  };
  tasks.set(name, stop);
  schedule();
  return stop;
}
