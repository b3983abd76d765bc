import { fork } from "node:child_process";
import path from "node:path";
import type { LoadJob, LoadResult, WorkerMessage } from "./load-jobs";

const WORKER = path.resolve("scripts/bench/load-worker.ts");

/** Runs one load job in a fresh child process (tsx), forwarding its progress lines. */
export function runLoad(job: LoadJob, log: (line: string) => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: LoadResult | undefined;
    child.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") log(message.line);
      else result = message.result;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`load generator for "${job.label}" exited with ${code ?? "a signal"} and no result`));
    });
    child.send(job);
  });
}
