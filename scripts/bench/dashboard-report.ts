import { DASHBOARD_P99_TARGET_MS } from "./dashboard-config";
import type { EndpointResult, ExportResult } from "./dashboard-measure";
import type { Machine } from "./report";

export interface DashboardResults {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  config: Record<string, string | number | boolean>;
  transactions: number;
  endpoints: EndpointResult[];
  export: ExportResult | null;
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const int = (v: number) => Math.round(v).toLocaleString("en");

/** PASS when the p99 is within the target and every measured request answered 200. */
export function endpointPasses(r: EndpointResult): boolean {
  return r.p99Ms <= DASHBOARD_P99_TARGET_MS && Object.keys(r.statusCodes).every((code) => code === "200");
}

export function formatDashboardReport(results: DashboardResults): string {
  const { machine } = results;
  const width = Math.max(...results.endpoints.map((r) => r.label.length));
  const lines = [
    "",
    `machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, PostgreSQL ${machine.postgres}, Node ${machine.node}`,
    `load average before ${machine.loadBefore.join(" / ")}, after ${(machine.loadAfter ?? []).join(" / ")}`,
    `statistics mandate: ${int(results.transactions)} transactions; signed in as its OWNER`,
    "",
    `  ${"".padEnd(4)}  ${"request".padEnd(width)}  ${"p50".padStart(9)}  ${"p99".padStart(9)}  ${"max".padStart(9)}  n`,
    ...results.endpoints.map((r) => {
      const statuses = Object.keys(r.statusCodes).every((code) => code === "200")
        ? ""
        : `  status ${JSON.stringify(r.statusCodes)}`;
      return (
        `  ${endpointPasses(r) ? "PASS" : "MISS"}  ${r.label.padEnd(width)}  ${ms(r.p50Ms).padStart(9)}  ` +
        `${ms(r.p99Ms).padStart(9)}  ${ms(r.maxMs).padStart(9)}  ${r.requests}${statuses}`
      );
    }),
    "",
  ];
  const exp = results.export;
  if (exp) {
    lines.push(
      `CSV export (all rows): ${int(exp.rows)} rows, ${(exp.bytes / 1024 ** 2).toFixed(0)} MiB in ${exp.seconds.toFixed(1)} s ` +
        `= ${int(exp.rowsPerSecond)} rows/s (status ${exp.status})`,
      `  next-server RSS: ${exp.rssStartMiB.toFixed(0)} MiB before, peak ${exp.rssPeakMiB.toFixed(0)} MiB ` +
        `(+${exp.rssGrowthMiB.toFixed(0)} MiB; ${exp.rssSamples} samples)`,
      "",
    );
  }
  lines.push(
    `Target: p99 ≤ ${DASHBOARD_P99_TARGET_MS} ms server time per request (issue 17, item 9), from writing the`,
    "request to reading its last byte, one request at a time over loopback after a warm-up. The",
    "machine's cores are shared by PostgreSQL, next start and this client.",
  );
  return lines.join("\n");
}
