/**
 * Mandates whose name starts with this keep a drift on purpose (a reconciliation test planted
 * it). The suite's closing reconciliation (testing/test-global-setup.ts) leaves them out; every
 * other mandate a test run creates must reconcile.
 */
export const PLANTED_DRIFT_PREFIX = "Planted drift";
