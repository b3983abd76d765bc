import { Logger } from "graphile-worker";

/**
 * graphile-worker's logger for the worker and the migrator: errors and warnings only. At info it
 * logs every completed job, which for the periodic jobs (lib/jobs/periodic-jobs.ts) is a line a
 * second per task.
 */
export const jobLogger = new Logger((scope) => (level, message) => {
  if (level !== "error" && level !== "warning") return;
  const task = scope.taskIdentifier ? ` [${scope.taskIdentifier}${scope.jobId ? ` #${scope.jobId}` : ""}]` : "";
  // The message already carries the error and its stack.
  console.error(`job queue${task}: ${message}`);
});
