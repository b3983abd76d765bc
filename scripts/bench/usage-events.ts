import type { BenchMandate } from "./load-jobs";

/**
 * Realistic usage events for the load: the gateway's wire shape (lib/api/routes/billing.ts),
 * spread over a few providers, models and features, with micro-amounts like "0.000012".
 * Math.random is fine here: nothing is replayed and no money is computed from it.
 */
export const CATALOGUE = [
  { provider: "anthropic", model: "claude-4-sonnet" },
  { provider: "openai", model: "gpt-4o" },
  { provider: "mistral", model: "mistral-large" },
  { provider: "google", model: "gemini-2.5-pro" },
] as const;
export const FEATURES = ["chat", "automation", "workspace", "documents"] as const;

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** A price between 0.000005 and 0.050000 CHF, built from whole micro-francs (no float money). */
export function microAmount(): string {
  const micros = 5 + Math.floor(Math.random() * 50_000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
}

export function usageEvent(mandates: readonly BenchMandate[], idempotencyKey: string): Record<string, unknown> {
  const mandate = pick(mandates);
  const { provider, model } = pick(CATALOGUE);
  const feature = pick(FEATURES);
  return {
    mandateId: mandate.mandateId,
    userId: pick(mandate.userIds),
    idempotencyKey,
    amount: microAmount(),
    provider,
    model,
    featureCode: feature,
    featureInstanceId: `${feature}-${1 + Math.floor(Math.random() * 20)}`,
    workflowId: `wf-${Math.floor(Math.random() * 1_000_000)}`,
    processingTime: (Math.random() * 5).toFixed(3),
    bytesSent: 200 + Math.floor(Math.random() * 8_000),
    bytesReceived: 500 + Math.floor(Math.random() * 30_000),
    errorCount: 0,
  };
}

export function billingCheck(
  mandates: readonly BenchMandate[],
  reserve: boolean,
  key: string,
): Record<string, unknown> {
  const mandate = pick(mandates);
  return {
    mandateId: mandate.mandateId,
    userId: pick(mandate.userIds),
    estimatedCost: microAmount(),
    provider: pick(CATALOGUE).provider,
    // Real holds are captured by the usage debit within seconds; a short TTL keeps the open set
    // as small as that would, since this load never captures.
    ...(reserve ? { reserve: true, reservationTtlSeconds: 5, idempotencyKey: key } : {}),
  };
}
