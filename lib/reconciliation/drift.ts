/**
 * What reconciliation reports. A drift is one disagreement, named by a stable code the UI
 * translates (`admin.reconciliation.kinds.<kind>`), with an English message for logs and the CLI
 * and the rows involved, so whoever repairs it knows exactly which records to look at.
 */
export const DRIFT_KINDS = [
  // (a) an account's balance against the sum of its transactions
  "BALANCE_MISMATCH",
  // (b) payments, refunds and disputes against the ledger
  "PAYMENT_NOT_CREDITED",
  "PAYMENT_CREDIT_MISMATCH",
  "PAYMENT_CREDITED_NOT_PAID",
  "PAYMENT_CREDIT_WITHOUT_PAYMENT",
  "PAYMENT_ADJUSTMENT_WITHOUT_ROW",
  "REFUND_TRANSACTION_MISMATCH",
  "DISPUTE_TRANSACTION_MISMATCH",
  // (c) our payments against Stripe's own lists
  "STRIPE_PAYMENT_NOT_BOOKED",
  "STRIPE_PAYMENT_AMOUNT_MISMATCH",
  "STRIPE_PAYMENT_NOT_SUCCEEDED",
  "STRIPE_REFUND_NOT_BOOKED",
  "STRIPE_REFUND_MISMATCH",
  "STRIPE_DISPUTE_NOT_BOOKED",
  "STRIPE_DISPUTE_MISMATCH",
  // (d) user audit accounts against the pool's usage
  "AUDIT_USAGE_MISMATCH",
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export const DRIFT_ROW_SOURCES = [
  "billing_account",
  "billing_transaction",
  "payment",
  "payment_refund",
  "payment_dispute",
  "stripe_payment_intent",
  "stripe_refund",
  "stripe_dispute",
] as const;
export type DriftRowSource = (typeof DRIFT_ROW_SOURCES)[number];

export interface DriftRow {
  source: DriftRowSource;
  id: string;
  /** Decimal string in CHF when the row carries an amount (Stripe's minor units converted). */
  amount?: string;
  /** What this row says or lacks, in English: "expected -20.00", "missing", "status requires_payment_method". */
  note?: string;
}

export interface Drift {
  kind: DriftKind;
  message: string;
  rows: DriftRow[];
}

export interface MandateReconciliation {
  mandateId: string;
  name: string;
  drifts: Drift[];
  /** What was compared, so "no drift" is read against what was looked at. */
  checked: { accounts: number; payments: number };
}

export interface ReconciliationReport {
  startedAt: Date;
  /** Whether Stripe's lists were compared, and with which server ("api.stripe.com" or a test server's URL). */
  stripe: { checked: true; server: string } | { checked: false; reason: string; failed?: boolean };
  mandates: MandateReconciliation[];
  /**
   * Stripe objects carrying our metadata that name no mandate we know (a payment id and mandate
   * that are not in this database): they cannot be listed under a mandate.
   */
  unassigned: Drift[];
  driftCount: number;
}

/** A DriftRow for a transaction, with its amount when known. */
export function transactionRow(id: string, amount?: string | null, note?: string): DriftRow {
  return { source: "billing_transaction", id, ...(amount != null ? { amount } : {}), ...(note ? { note } : {}) };
}
