/**
 * npm run reconcile [-- --mandate <id> ...]: reconciles the ledger (lib/reconciliation) and prints
 * a short report; exit code 1 on any drift (or when Stripe was to be compared and could not be).
 *
 * Stripe: with STRIPE_SECRET_KEY, Stripe (or STRIPE_API_URL) is compared. Without it, an offline
 * test server is used when one answers on STRIPE_API_URL or on http://127.0.0.1:12111 (where a
 * running `npm start` puts it); otherwise the Stripe part is skipped and the report says so.
 */
import { parseArgs } from "node:util";
import { prepareDatabase } from "@/scripts/db/database-url";

const OFFLINE_STRIPE_URL = "http://127.0.0.1:12111";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mandate: { type: "string", multiple: true } } });
  const offline = process.env.STRIPE_SECRET_KEY ? null : await offlineStripe();
  if (offline) {
    process.env.STRIPE_SECRET_KEY = "sk_test_reconcile";
    process.env.STRIPE_API_URL = offline;
  }
  await prepareDatabase();
  const { reconcile } = await import("@/lib/reconciliation/reconcile");
  const { formatReconciliationReport } = await import("@/lib/reconciliation/format-report");

  const report = await reconcile({ mandateIds: values.mandate });
  console.log(formatReconciliationReport(report));
  const failed = !report.stripe.checked && report.stripe.failed === true;
  process.exit(report.driftCount > 0 || failed ? 1 : 0);
}

/** The URL of an offline Stripe test server that answers (its test controls are its signature), or null. */
async function offlineStripe(): Promise<string | null> {
  for (const url of new Set([process.env.STRIPE_API_URL, OFFLINE_STRIPE_URL].filter((u): u is string => !!u))) {
    try {
      const answer = await fetch(new URL("/_test/deliveries", url), { signal: AbortSignal.timeout(2_000) });
      if (answer.ok) return url;
    } catch {
      // Nothing listening there: try the next place, then skip the Stripe part.
    }
  }
  return null;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
