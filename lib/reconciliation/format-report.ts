import type { Drift, ReconciliationReport } from "./drift";

/**
 * The report as plain text, for `npm run reconcile` and the test suite's teardown: one line per
 * mandate, and under a mandate with drift each drift with its rows. `onlyDrift` leaves out the
 * mandates that reconcile (a test run has thousands of them).
 */
export function formatReconciliationReport(
  report: ReconciliationReport,
  opts: { onlyDrift?: boolean; maxDriftsPerMandate?: number } = {},
): string {
  const max = opts.maxDriftsPerMandate ?? 20;
  const lines: string[] = [
    `Reconciliation at ${report.startedAt.toISOString()}: ${report.mandates.length} mandate(s); Stripe: ${
      report.stripe.checked
        ? `compared with ${report.stripe.server}`
        : `${report.stripe.failed ? "FAILED" : "not compared"} (${report.stripe.reason})`
    }`,
  ];
  for (const m of report.mandates) {
    if (m.drifts.length === 0) {
      if (!opts.onlyDrift) {
        lines.push(
          `  OK     ${m.name} (${m.mandateId}): ${m.checked.accounts} accounts, ${m.checked.payments} payments`,
        );
      }
      continue;
    }
    lines.push(`  DRIFT  ${m.name} (${m.mandateId}): ${m.drifts.length} drift(s)`);
    lines.push(...formatDrifts(m.drifts, max));
  }
  if (report.unassigned.length > 0) {
    lines.push(`  DRIFT  at Stripe, for no mandate known here: ${report.unassigned.length} drift(s)`);
    lines.push(...formatDrifts(report.unassigned, max));
  }
  lines.push(report.driftCount === 0 ? "No drift." : `${report.driftCount} drift(s).`);
  return lines.join("\n");
}

function formatDrifts(drifts: readonly Drift[], max: number): string[] {
  const lines: string[] = [];
  for (const drift of drifts.slice(0, max)) {
    lines.push(`    ${drift.kind}: ${drift.message}`);
    for (const row of drift.rows) {
      const details = [row.amount, row.note].filter(Boolean).join(", ");
      lines.push(`      ${row.source} ${row.id}${details ? ` (${details})` : ""}`);
    }
  }
  if (drifts.length > max) lines.push(`    … and ${drifts.length - max} more`);
  return lines;
}
