import { randomUUID } from "node:crypto";

/**
 * A complete, valid usage event as the gateway sends it (the API's wire shape), with a fresh
 * idempotency key; tests override what they are about.
 */
export function sampleUsageEvent(mandateId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mandateId,
    idempotencyKey: randomUUID(),
    amount: "0.1",
    provider: "openai",
    model: "gpt-4o",
    featureCode: "chat",
    featureInstanceId: "chat-1",
    workflowId: "wf-1",
    processingTime: "0.25",
    bytesSent: 100,
    bytesReceived: 200,
    errorCount: 0,
    ...extra,
  };
}
